//! Every chart of Leadplan, drawn with plotters into an SVG string; the same SVG is shown on screen and put into reports.
