#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Every chart rendered to a string and read back as XML: title, legend, the exact input
//! numbers on the hover elements, locale and theme, escaping, empty input, and that resvg
//! renders it.

mod sample;

use std::sync::{Arc, OnceLock};

use leadplan_charts::*;
use leadplan_core::{Locale, PlanYear};
use proptest::prelude::*;
use rstest::rstest;

const NBSP: char = '\u{a0}';

/// One hover element as the UI reads it.
#[derive(Debug, Clone, PartialEq)]
struct Point {
    group: String,
    series: String,
    label: String,
    value: String,
    raw: f64,
    title: String,
    /// x, y, width, height of a rect; cx, cy, r, 0 of a circle
    shape: [f64; 4],
}

/// What a test needs to know about one chart.
#[derive(Debug)]
struct Chart {
    id: String,
    aria_label: String,
    title: String,
    desc: String,
    legend: Vec<String>,
    points: Vec<Point>,
    note: Option<String>,
    texts: Vec<String>,
}

fn attr_f64(node: roxmltree::Node<'_, '_>, name: &str) -> f64 {
    node.attribute(name).map_or(0.0, |v| v.parse().unwrap())
}

fn read(svg: &str) -> Chart {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("invalid XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    let child_text = |name: &str| {
        root.children()
            .find(|n| n.has_tag_name(name))
            .and_then(|n| n.text())
            .unwrap_or_default()
            .to_owned()
    };
    let with_class = |class: &str| {
        doc.descendants()
            .filter(|n| n.attribute("class") == Some(class))
            .collect::<Vec<_>>()
    };
    let points = with_class("hit")
        .into_iter()
        .map(|n| Point {
            group: n.attribute("data-group").unwrap_or_default().to_owned(),
            series: n.attribute("data-series").unwrap().to_owned(),
            label: n.attribute("data-label").unwrap().to_owned(),
            value: n.attribute("data-value").unwrap().to_owned(),
            raw: attr_f64(n, "data-raw"),
            title: n
                .children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|c| c.text())
                .unwrap()
                .to_owned(),
            shape: if n.has_tag_name("rect") {
                ["x", "y", "width", "height"].map(|a| attr_f64(n, a))
            } else {
                ["cx", "cy", "r", "none"].map(|a| attr_f64(n, a))
            },
        })
        .collect();
    Chart {
        id: root.attribute("data-chart").unwrap().to_owned(),
        aria_label: root.attribute("aria-label").unwrap().to_owned(),
        title: child_text("title"),
        desc: child_text("desc"),
        legend: with_class("legend-entry")
            .into_iter()
            .map(|n| n.attribute("data-series").unwrap().to_owned())
            .collect(),
        points,
        note: with_class("chart-note")
            .first()
            .and_then(roxmltree::Node::text)
            .map(str::to_owned),
        texts: doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .map(|t| t.trim().to_owned())
            .collect(),
    }
}

impl Chart {
    fn series(&self, series: &str) -> Vec<&Point> {
        self.points.iter().filter(|p| p.series == series).collect()
    }

    fn point(&self, group: &str, series: &str, label: &str) -> &Point {
        self.points
            .iter()
            .find(|p| p.group == group && p.series == series && p.label == label)
            .unwrap_or_else(|| panic!("no point {group}/{series}/{label} in {:#?}", self.points))
    }

    fn raws(&self, group: &str, series: &str) -> Vec<f64> {
        self.points
            .iter()
            .filter(|p| p.group == group && p.series == series)
            .map(|p| p.raw)
            .collect()
    }
}

fn en() -> Theme {
    Theme::light(Locale::En)
}

fn month_names() -> Vec<&'static str> {
    vec![
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
}

fn fonts() -> Arc<resvg::usvg::fontdb::Database> {
    static DB: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(include_bytes!("../../../assets/fonts/DejaVuSans.ttf").to_vec());
        db.load_font_data(include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf").to_vec());
        Arc::new(db)
    })
    .clone()
}

/// The chart rendered by resvg.
fn pixmap(svg: &str) -> resvg::tiny_skia::Pixmap {
    let options = resvg::usvg::Options {
        fontdb: fonts(),
        ..Default::default()
    };
    let tree = resvg::usvg::Tree::from_str(svg, &options).unwrap();
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    pixmap
}

/// Renders with resvg and returns how many pixels differ from the top-left (background) one.
fn painted_pixels(svg: &str) -> usize {
    let pixmap = pixmap(svg);
    let pixels = pixmap.pixels();
    let background = pixels[0];
    pixels.iter().filter(|p| **p != background).count()
}

/// Renders with resvg; the colour of the pixel at (x, y) in SVG pixels.
fn pixels(svg: &str) -> impl Fn(f64, f64) -> [u8; 3] {
    let pixmap = pixmap(svg);
    move |x, y| {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let p = pixmap.pixel(x as u32, y as u32).unwrap().demultiply();
        [p.red(), p.green(), p.blue()]
    }
}

/// Whether resvg found text to draw: text becomes paths, so a chart whose texts are
/// dropped has no glyph paths.
fn text_is_rendered(svg: &str) -> bool {
    let options = resvg::usvg::Options {
        fontdb: fonts(),
        ..Default::default()
    };
    let tree = resvg::usvg::Tree::from_str(svg, &options).unwrap();
    fn has_text(group: &resvg::usvg::Group) -> bool {
        group.children().iter().any(|node| match node {
            resvg::usvg::Node::Text(text) => !text.flattened().children().is_empty(),
            resvg::usvg::Node::Group(g) => has_text(g),
            _ => false,
        })
    }
    has_text(tree.root())
}

#[rstest]
fn every_chart_has_its_id_a_title_a_summary_a_legend_and_renders(
    #[values(
        Theme::light(Locale::En),
        Theme::dark(Locale::De),
        Theme::light(Locale::Nl)
    )]
    theme: Theme,
) {
    let charts = sample::all_charts(&theme);
    assert_eq!(charts.len(), ChartId::ALL.len());
    for (id, svg) in charts {
        let chart = read(&svg);
        assert_eq!(chart.id, id.as_str());
        assert!(
            !chart.title.is_empty() && !chart.title.contains("chart."),
            "{id}: {chart:?}"
        );
        assert_eq!(chart.aria_label, chart.title);
        assert!(
            chart.desc.len() > 20 && !chart.desc.contains("chart."),
            "{id}: {}",
            chart.desc
        );
        assert!(!chart.legend.is_empty(), "{id} has no legend");
        assert!(!chart.points.is_empty(), "{id} has no hover points");
        assert!(chart.note.is_none(), "{id} says {:?}", chart.note);
        assert!(
            chart.texts.iter().all(|t| !t.starts_with("chart.")),
            "{id} shows a catalogue key: {:?}",
            chart.texts
        );
        // a 960×540 chart paints far more than its background
        assert!(painted_pixels(&svg) > 20_000, "{id} looks empty");
        assert!(
            text_is_rendered(&svg),
            "{id}: resvg found no font for the text"
        );
    }
}

#[test]
fn every_text_names_the_bundled_font() {
    for (id, svg) in sample::all_charts(&en()) {
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let root = doc.root_element();
        assert_eq!(
            root.attribute("font-family"),
            Some("DejaVu Sans, sans-serif")
        );
        for text in doc.descendants().filter(|n| n.has_tag_name("text")) {
            let family = text
                .attribute("font-family")
                .unwrap_or("DejaVu Sans, sans-serif");
            assert_eq!(family, "DejaVu Sans, sans-serif", "{id}");
        }
    }
}

/// The legend of the leads charts while a month is in progress (the sample's June).
const LEGEND_WITH_A_MONTH_IN_PROGRESS: [&str; 4] = [
    "Plan",
    "Actual",
    "Plan, rest of the month",
    "Actual so far this month",
];

#[test]
fn leads_per_month_carry_the_planned_and_actual_numbers() {
    let chart = read(&leads_plan_vs_actual(&sample::month_leads(), &en()));
    assert_eq!(chart.title, "Leads per month: plan vs actual, 2026");
    assert_eq!(chart.legend, LEGEND_WITH_A_MONTH_IN_PROGRESS);
    assert_eq!(chart.raws("", "Plan"), sample::PLANNED);
    assert_eq!(chart.raws("", "Actual"), sample::ACTUAL);
    let labels: Vec<&str> = chart
        .series("Plan")
        .iter()
        .map(|p| p.label.as_str())
        .collect();
    assert_eq!(labels, month_names());
    let june = chart.point("", "Actual", "Jun");
    assert_eq!(june.value, "103");
    assert_eq!(june.title, "Actual · Jun: 103");
    // to date (16 June): planned 180+190+240+230+210 = 1050 and 190 × 16/30 = 101.3 of June,
    // 1151.3; actual 172+201+215+226+188+103 = 1105, 1105 / 1151.3 = 96.0 %; the year
    // 1240 + 1130 = 2370
    assert_eq!(
        chart.desc,
        "Planned 1,151.3 leads to date, actual 1,105 (96%). Plan for the year: 2,370 leads."
    );
    // June's plan bar tells both: the month's plan and what of it is due by today
    assert_eq!(
        chart.point("", "Plan", "Jun").title,
        "Plan · Jun: 190 (101.3 due by today)"
    );
    assert_eq!(chart.point("", "Plan", "May").title, "Plan · May: 210");
}

#[test]
fn without_a_month_in_progress_the_whole_plan_of_the_months_with_actuals_is_due() {
    let mut data = sample::month_leads();
    data.planned_to_date[5] = Some(sample::PLANNED[5]);
    let chart = read(&leads_plan_vs_actual(&data, &en()));
    assert_eq!(chart.legend, ["Plan", "Actual"]);
    // Jan–Jun planned 180+190+240+230+210+190 = 1240, 1105 / 1240 = 89.1 %
    assert_eq!(
        chart.desc,
        "Planned 1,240 leads to date, actual 1,105 (89%). Plan for the year: 2,370 leads."
    );
    assert_eq!(chart.point("", "Plan", "Jun").title, "Plan · Jun: 190");
}

#[test]
fn the_month_in_progress_is_drawn_solid_up_to_the_plan_due_and_pale_above() {
    const PLAN: [u8; 3] = [0x56, 0xB4, 0xE9];
    const ACTUAL: [u8; 3] = [0xE6, 0x9F, 0x00];
    let svg = leads_plan_vs_actual(&sample::month_leads(), &en());
    let chart = read(&svg);
    let pixel = pixels(&svg);
    let centre = |p: &Point| p.shape[0] + p.shape[2] / 2.0;
    let (june, may) = (
        chart.point("", "Plan", "Jun"),
        chart.point("", "Plan", "May"),
    );
    // the hit area spans June's whole plan, 190 leads; the solid fill ends at 101.3 of them
    let bottom = june.shape[1] + june.shape[3];
    let due_top = bottom - june.shape[3] * sample::JUNE_DUE;
    assert_eq!(pixel(centre(june), due_top + 3.0), PLAN);
    let pale = pixel(centre(june), due_top - 3.0);
    assert!(
        pale != PLAN && pale.iter().zip(PLAN).all(|(p, s)| *p >= s),
        "{pale:?}"
    );
    // May, complete, is solid to its top
    assert_eq!(pixel(centre(may), may.shape[1] + 3.0), PLAN);
    // June's actual bar, not final, is pale; May's is solid
    let mid = |p: &Point| p.shape[1] + p.shape[3] / 2.0;
    let (june, may) = (
        chart.point("", "Actual", "Jun"),
        chart.point("", "Actual", "May"),
    );
    assert_ne!(pixel(centre(june), mid(june)), ACTUAL);
    assert_eq!(pixel(centre(may), mid(may)), ACTUAL);
}

#[test]
fn bar_heights_are_proportional_to_the_values() {
    let chart = read(&leads_plan_vs_actual(&sample::month_leads(), &en()));
    let plan = chart.series("Plan");
    // every plan bar starts at the same baseline; its height over its value is one scale
    let base = plan[0].shape[1] + plan[0].shape[3];
    let per_lead = plan[0].shape[3] / plan[0].raw;
    for p in &plan {
        assert!((p.shape[1] + p.shape[3] - base).abs() <= 1.0, "{p:?}");
        assert!((p.shape[3] - p.raw * per_lead).abs() <= 1.5, "{p:?}");
    }
    // March (240) is a third taller than January (180)
    let (jan, mar) = (plan[0].shape[3], plan[2].shape[3]);
    assert!((mar / jan - 240.0 / 180.0).abs() < 0.02, "{jan} {mar}");
}

#[test]
fn leads_by_source_has_a_panel_per_source_with_its_own_numbers() {
    let data = sample::source_leads();
    let chart = read(&leads_by_source(&data, &en()));
    assert_eq!(chart.legend, LEGEND_WITH_A_MONTH_IN_PROGRESS);
    // Website: June planned round(190 × 0.38) = 72, due by 16 June 72 × 16/30 = 38.4
    assert_eq!(
        chart.point("Website", "Plan", "Jun").title,
        "Website · Plan · Jun: 72 (38.4 due by today)"
    );
    for source in &data.sources {
        assert_eq!(chart.raws(&source.source, "Plan"), source.planned);
        let actual: Vec<f64> = source.actual.iter().flatten().copied().collect();
        assert_eq!(chart.raws(&source.source, "Actual"), actual);
        assert!(
            chart.texts.contains(&source.source),
            "{} has no panel title",
            source.source
        );
    }
    assert_eq!(chart.points.len(), 5 * (12 + 6));
    // Website: planned round(p × 0.38) Jan–May = 68+72+91+87+80 = 398, and June's 72 × 16/30
    // = 38.4, to date 436.4; actual round(a × 0.41) = 71+82+88+93+77+42 = 453; 453 / 436.4
    // = 103.8 %
    assert!(
        chart
            .desc
            .starts_with("Website: planned 436.4 to date, actual 453 (104%); "),
        "{}",
        chart.desc
    );
}

#[test]
fn the_cumulative_chart_shows_plan_actual_forecast_and_target() {
    let data = sample::cumulative();
    let chart = read(&cumulative_vs_plan(&data, &en()));
    assert_eq!(
        chart.legend,
        [
            "Plan",
            "Actual",
            "Forecast",
            "Annual target",
            "Plan due by today"
        ]
    );
    // June is in progress: its actual point is compared with the plan due by 16 June,
    // 1050 + 190 × 16/30 = 1151.3, marked on June's line below the month's whole 1240
    let due = chart.point("", "Plan due by today", "Jun");
    assert_eq!(
        (due.value.as_str(), due.title.as_str()),
        ("1,151.3", "Plan due by today · Jun: 1,151.3")
    );
    let june = chart.point("", "Plan", "Jun");
    assert_eq!(due.shape[0], june.shape[0]);
    assert!(due.shape[1] > june.shape[1], "{due:?} {june:?}");
    assert_eq!(chart.raws("", "Plan"), data.planned);
    assert_eq!(
        chart.raws("", "Actual"),
        data.actual[..6]
            .iter()
            .map(|v| v.unwrap())
            .collect::<Vec<_>>()
    );
    assert_eq!(chart.series("Forecast").len(), 6);
    assert_eq!(
        chart.point("", "Forecast", "Jul").raw,
        data.forecast[6].unwrap()
    );
    let target = chart.point("", "Annual target", "Annual target");
    assert_eq!((target.raw, target.value.as_str()), (2370.0, "2,370"));
    // due by 16 June: 1050 + 190 × 16/30 = 1151.3, 1105 / 1151.3 = 96.0 %; the sample's
    // forecast = 1105 + 1130 × 1105 / 1240 = 2111.98; gap 2111.98 - 2370 = -258.02
    assert_eq!(
        chart.desc,
        "Actual 1,105 to date against 1,151.3 planned (96%). Forecast for the year: 2,112; \
         target: 2,370; gap: -258."
    );
    // the forecast points lie on the plan's x positions of their months
    let jul_plan = chart.point("", "Plan", "Jul").shape[0];
    assert!((chart.point("", "Forecast", "Jul").shape[0] - jul_plan).abs() < 0.5);
}

#[test]
fn the_cumulative_chart_marks_no_plan_due_when_no_month_is_in_progress() {
    let mut data = sample::cumulative();
    data.planned_to_date = Some(data.planned[5]);
    let chart = read(&cumulative_vs_plan(&data, &en()));
    assert_eq!(
        chart.legend,
        ["Plan", "Actual", "Forecast", "Annual target"]
    );
    assert!(chart.series("Plan due by today").is_empty());
    // Jan–Jun planned 1240, actual 1105 = 89 %
    assert!(
        chart
            .desc
            .starts_with("Actual 1,105 to date against 1,240 planned (89%)."),
        "{}",
        chart.desc
    );
}

#[test]
fn conversion_flags_sources_below_the_floor_and_sets_maturing_ones_apart() {
    let svg = conversion_vs_floor(&sample::conversion(), &en());
    let chart = read(&svg);
    assert_eq!(
        chart.title,
        "Conversion per source against the floor of 13%"
    );
    assert_eq!(
        chart.legend,
        [
            "At or above the floor",
            "Below the floor",
            "Maturing (not yet comparable)",
            "Floor 13%"
        ]
    );
    let floor = chart.point("", "Floor 13%", "Floor 13%");
    assert_eq!((floor.raw, floor.value.as_str()), (0.13, "13%"));
    let below: Vec<&str> = chart
        .series("Below the floor")
        .iter()
        .map(|p| p.label.as_str())
        .collect();
    assert_eq!(below, ["Importer", "mobile.de"]);
    let importer = chart.point("", "Below the floor", "Importer");
    assert_eq!((importer.raw, importer.value.as_str()), (0.094, "9.4%"));
    // 4.5 % is under the floor, but a maturing value is not compared
    let maturing = chart.point("", "Maturing (not yet comparable)", "Facebook Lead Ads");
    assert_eq!(maturing.raw, 0.045);
    assert!(
        chart.texts.contains(&"▼ 9%".to_owned()),
        "{:?}",
        chart.texts
    );
    assert!(!chart.texts.contains(&"▼ 5%".to_owned()));
    assert!(
        chart
            .desc
            .starts_with("2 of 5 comparable sources below the floor of 13%.")
    );
    assert!(
        chart.desc.contains("Facebook Lead Ads: 4.5% (maturing)"),
        "{}",
        chart.desc
    );
    // the maturing bar is drawn pale, the others solid
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let [x, y, w, h] = maturing.shape;
    let bar = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("class").is_none())
        .find(|n| {
            (attr_f64(*n, "x") - x).abs() < 1.0
                && (attr_f64(*n, "y") - y).abs() < 1.0
                && (attr_f64(*n, "width") - w).abs() < 1.0
                && (attr_f64(*n, "height") - h).abs() < 1.0
        })
        .expect("the maturing bar");
    assert_eq!(bar.attribute("opacity"), Some("0.3"));
}

#[test]
fn the_floor_line_is_drawn_at_the_floor() {
    let chart = read(&conversion_vs_floor(&sample::conversion(), &en()));
    // bars share a baseline; the floor line is at 13 / 15.2 of the Website bar's height
    let website = chart.point("", "At or above the floor", "Website");
    let base = website.shape[1] + website.shape[3];
    let per_unit = website.shape[3] / website.raw;
    let floor = chart.point("", "Floor 13%", "Floor 13%");
    let floor_y = floor.shape[1] + floor.shape[3] / 2.0;
    assert!(
        (base - 0.13 * per_unit - floor_y).abs() <= 1.5,
        "{base} {per_unit} {floor_y}"
    );
}

#[test]
fn the_funnel_shows_each_stage_with_its_share_of_leads() {
    let data = sample::funnel();
    let chart = read(&funnel_by_source(&data, &en()));
    assert_eq!(
        chart.legend,
        [
            "Leads",
            "Contacted",
            "Reached (two-way)",
            "Appointment",
            "Won"
        ]
    );
    assert_eq!(chart.points.len(), 25);
    for source in &data.sources {
        let stages: Vec<f64> = chart
            .points
            .iter()
            .filter(|p| p.label == source.source)
            .map(|p| p.raw)
            .collect();
        assert_eq!(stages, source.stages());
    }
    // 280 of 420 website leads reached: 66.7 %
    let reached = chart.point("", "Reached (two-way)", "Website");
    assert_eq!(reached.value, "280 (67% of leads)");
    // 64 of 420 won: 15.2 %
    assert!(
        chart.desc.starts_with("Website: 420 leads, 64 won (15%); "),
        "{}",
        chart.desc
    );
}

#[test]
fn cost_is_in_the_locale_currency_and_a_missing_figure_is_a_dash() {
    let data = sample::cost();
    let chart = read(&cost_per_lead_and_sale(&data, &Theme::light(Locale::De)));
    assert_eq!(chart.title, "Kosten pro Lead und pro Verkauf: Plan und Ist");
    assert_eq!(chart.legend, ["Plan", "Ist"]);
    let website = chart.point("Kosten pro Lead", "Ist", "Website");
    assert_eq!(
        (website.raw, website.value.as_str()),
        (21.5, format!("21,50{NBSP}€").as_str())
    );
    let per_sale = chart.point("Kosten pro Verkauf", "Ist", "AutoScout24");
    assert_eq!(per_sale.value, format!("251,43{NBSP}€"));
    assert_eq!(
        chart.raws("Kosten pro Verkauf", "Plan"),
        [120.0, 0.0, 240.0, 210.0, 40.0]
    );
    // the walk-in actual cost per sale is unknown: no bar, a dash
    assert_eq!(
        chart.raws("Kosten pro Verkauf", "Ist"),
        [141.09, 0.0, 243.2, 251.43]
    );
    assert!(chart.texts.contains(&"–".to_owned()));
    assert!(
        chart
            .desc
            .contains(&format!("pro Verkauf 40,00{NBSP}€ geplant, – Ist")),
        "{}",
        chart.desc
    );
    assert!(
        chart.texts.contains(&"Pro Lead (€)".to_owned()),
        "{:?}",
        chart.texts
    );
}

#[test]
fn response_times_are_split_at_the_sla() {
    let chart = read(&response_times(&sample::response(), &en()));
    assert_eq!(chart.legend, ["Within 1 h", "Later", "Not contacted"]);
    let within: Vec<&str> = chart
        .series("Within 1 h")
        .iter()
        .map(|p| p.label.as_str())
        .collect();
    assert_eq!(within, ["0–15 min", "15–30 min", "30 min–1 h"]);
    let later: Vec<f64> = chart.raws("", "Later");
    assert_eq!(later, [120.0, 64.0, 21.0]);
    let never = chart.point("", "Not contacted", "Not contacted");
    // 27 of 862 leads: 3.1 %
    assert_eq!(never.value, "27 (3% of leads)");
    // within: 310 + 180 + 140 = 630 of 862 (73.1 %)
    assert_eq!(
        chart.desc,
        "630 of 862 leads (73%) had a first contact attempt within 1 h; 27 were not contacted."
    );
}

#[test]
fn sources_below_the_sla_target_are_flagged() {
    let chart = read(&contacted_within_sla(&sample::sla(), &en()));
    assert_eq!(
        chart.title,
        "Leads contacted within 1 h per source, target 80%"
    );
    let below: Vec<(&str, f64)> = chart
        .series("Below target")
        .iter()
        .map(|p| (p.label.as_str(), p.raw))
        .collect();
    assert_eq!(below, [("Importer", 0.62), ("mobile.de", 0.77)]);
    assert_eq!(chart.series("At or above target").len(), 3);
    assert!(
        chart
            .desc
            .starts_with("2 of 5 sources below the target of 80%.")
    );
}

#[test]
fn lost_leads_are_counted_by_source_and_by_owner() {
    let data = sample::lost();
    let chart = read(&lost_without_attempts(&data, &en()));
    assert_eq!(chart.title, "Leads lost with fewer than 4 attempts");
    assert_eq!(chart.legend, ["Lost", "Lost with fewer than 4 attempts"]);
    let few = "Lost with fewer than 4 attempts";
    assert_eq!(chart.raws("By source", few), [31.0, 29.0, 18.0, 6.0, 2.0]);
    assert_eq!(
        chart.raws("By owner", "Lost"),
        [58.0, 64.0, 71.0, 49.0, 37.0]
    );
    assert_eq!(chart.point("By owner", few, "Bram de Vries").value, "27");
    // 31+29+18+6+2 = 86 of 96+61+70+30+22 = 279 lost (30.8 %)
    assert_eq!(
        chart.desc,
        "86 of 279 lost leads (31%) were closed with fewer than 4 attempts. Most: Website (31) \
         by source, Bram de Vries (27) by owner."
    );
    assert!(
        chart.texts.contains(&"Claudia Weber".to_owned()),
        "names are shown in full"
    );
}

#[test]
fn stock_panels_show_the_demand_the_cap_took_out() {
    let data = sample::stock();
    let chart = read(&stock_vs_sales(&data, &en()));
    assert_eq!(chart.legend, ["Stock", "Planned sales", "Capped by stock"]);
    for line in &data.lines {
        assert_eq!(chart.raws(&line.product_line, "Stock"), line.stock);
        assert_eq!(
            chart.raws(&line.product_line, "Planned sales"),
            line.planned_sales
        );
    }
    // City EV: April demand 44 over stock 40, September 47 over 45
    assert_eq!(chart.raws("City EV", "Capped by stock"), [4.0, 2.0]);
    assert_eq!(chart.point("City EV", "Capped by stock", "Apr").raw, 4.0);
    // the capped part sits on top of the planned sales bar
    let sales = chart.point("City EV", "Planned sales", "Apr").shape;
    let capped = chart.point("City EV", "Capped by stock", "Apr").shape;
    assert!(
        (capped[1] + capped[3] - sales[1]).abs() <= 1.0,
        "{sales:?} {capped:?}"
    );
    assert!(chart.raws("Van", "Capped by stock").is_empty());
}

#[test]
fn the_locale_writes_numbers_and_texts() {
    let data = sample::cumulative();
    let en_chart = read(&cumulative_vs_plan(&data, &en()));
    let de_chart = read(&cumulative_vs_plan(&data, &Theme::light(Locale::De)));
    let nl_chart = read(&cumulative_vs_plan(&data, &Theme::light(Locale::Nl)));
    assert_eq!(en_chart.point("", "Plan", "Dec").value, "2,370");
    assert_eq!(de_chart.point("", "Plan", "Dez").value, "2.370");
    assert_eq!(nl_chart.point("", "Plan", "dec").value, "2.370");
    assert!(de_chart.title.starts_with("Kumulierte Leads"));
    assert!(
        de_chart.texts.contains(&"2.000".to_owned()),
        "{:?}",
        de_chart.texts
    );
    // a decimal comma in German, a point in English
    let conversion = sample::conversion();
    let de = read(&conversion_vs_floor(&conversion, &Theme::light(Locale::De)));
    let en = read(&conversion_vs_floor(&conversion, &en()));
    assert_eq!(
        de.point("", "Unter der Untergrenze", "Importer").value,
        format!("9,4{NBSP}%")
    );
    assert_eq!(en.point("", "Below the floor", "Importer").value, "9.4%");
}

#[test]
fn the_dark_theme_changes_background_and_text() {
    let light = leads_plan_vs_actual(&sample::month_leads(), &en());
    let dark = leads_plan_vs_actual(&sample::month_leads(), &Theme::dark(Locale::En));
    assert_ne!(light, dark);
    let background = |svg: &str| {
        let doc = roxmltree::Document::parse(svg).unwrap();
        let rect = doc.descendants().find(|n| n.has_tag_name("rect")).unwrap();
        rect.attribute("fill").unwrap().to_owned()
    };
    assert_eq!(background(&light), "#FFFFFF");
    assert_eq!(background(&dark), "#1E1E1E");
    assert!(dark.contains(r#"data-theme="dark""#));
    // the same numbers either way
    assert_eq!(read(&light).points, read(&dark).points);
}

#[test]
fn the_size_is_the_callers() {
    let theme = en().with_size(1280, 800);
    let svg = funnel_by_source(&sample::funnel(), &theme);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let root = doc.root_element();
    assert_eq!(root.attribute("width"), Some("1280"));
    assert_eq!(root.attribute("height"), Some("800"));
    assert_eq!(root.attribute("viewBox"), Some("0 0 1280 800"));
    // a bigger chart gets bigger text: the title is 20 px at 960×540
    let title = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("chart-title"))
        .unwrap();
    assert!(attr_f64(title, "font-size") > 25.0);
    assert!(painted_pixels(&svg) > 40_000);
}

const NASTY: &str = r#"<script>&"'"#;

#[test]
fn names_with_markup_are_escaped_everywhere() {
    let theme = en();
    let mut conversion = sample::conversion();
    conversion.sources[0].source = NASTY.into();
    let mut funnel = sample::funnel();
    funnel.sources[0].source = NASTY.into();
    let mut cost = sample::cost();
    cost.sources[0].source = NASTY.into();
    let mut lost = sample::lost();
    // the owner with most leads lost too early, whom the summary names
    lost.by_owner[1].name = NASTY.into();
    let mut leads = sample::source_leads();
    leads.sources[0].source = NASTY.into();
    let mut stock = sample::stock();
    stock.lines[0].product_line = NASTY.into();
    let mut sla = sample::sla();
    sla.sources[0].source = NASTY.into();
    for svg in [
        conversion_vs_floor(&conversion, &theme),
        funnel_by_source(&funnel, &theme),
        cost_per_lead_and_sale(&cost, &theme),
        lost_without_attempts(&lost, &theme),
        leads_by_source(&leads, &theme),
        stock_vs_sales(&stock, &theme),
        contacted_within_sla(&sla, &theme),
    ] {
        assert!(!svg.contains("<script"), "unescaped markup");
        let chart = read(&svg);
        assert!(
            chart
                .points
                .iter()
                .any(|p| p.label == NASTY || p.group == NASTY),
            "{}: the name does not read back",
            chart.id
        );
        assert!(chart.desc.contains(NASTY), "{}", chart.id);
        assert!(
            chart.texts.iter().any(|t| t.starts_with("<script")),
            "{}",
            chart.id
        );
        assert!(painted_pixels(&svg) > 0);
    }
}

#[test]
fn control_characters_in_names_keep_the_svg_valid() {
    let mut funnel = sample::funnel();
    funnel.sources[0].source = "Web\u{0}site\u{1b}[1m".into();
    let chart = read(&funnel_by_source(&funnel, &en()));
    assert!(chart.points.iter().any(|p| p.label == "Web site [1m"));
}

fn empty_year() -> PlanYear {
    PlanYear::new(2026, 1)
}

/// Every chart with no data at all, with all zeros, and with NaN.
fn empty_charts(theme: &Theme, fill: f64) -> Vec<String> {
    let year = empty_year();
    let months = [fill; 12];
    vec![
        leads_plan_vs_actual(
            &LeadsByMonth {
                year,
                planned: months,
                planned_to_date: [Some(fill); 12],
                actual: [Some(fill); 12],
            },
            theme,
        ),
        leads_by_source(
            &LeadsBySource {
                year,
                sources: vec![],
            },
            theme,
        ),
        cumulative_vs_plan(
            &CumulativeYear {
                year,
                measure: Measure::Sales,
                planned: months,
                planned_to_date: Some(fill),
                actual: [None; 12],
                forecast: [Some(fill); 12],
                annual_target: Some(fill),
            },
            theme,
        ),
        conversion_vs_floor(
            &ConversionBySource {
                floor: fill,
                sources: vec![SourceConversion {
                    source: "Website".into(),
                    conversion: fill,
                    maturing: false,
                }],
            },
            theme,
        ),
        funnel_by_source(&FunnelBySource { sources: vec![] }, theme),
        cost_per_lead_and_sale(
            &CostBySource {
                currency: "EUR".into(),
                sources: vec![SourceCost {
                    source: "Website".into(),
                    planned_per_lead: Some(fill),
                    actual_per_lead: None,
                    planned_per_sale: None,
                    actual_per_sale: Some(fill),
                }],
            },
            theme,
        ),
        response_times(
            &ResponseTimes {
                sla_minutes: 0,
                buckets: vec![ResponseBucket {
                    from_minutes: 0,
                    to_minutes: None,
                    leads: fill,
                }],
                not_contacted: fill,
            },
            theme,
        ),
        contacted_within_sla(
            &SlaBySource {
                sla_minutes: 60,
                target: fill,
                sources: vec![],
            },
            theme,
        ),
        lost_without_attempts(
            &LostWithoutAttempts {
                min_attempts: 0,
                by_source: vec![],
                by_owner: vec![LostCount {
                    name: "Anna".into(),
                    lost: fill,
                    too_few_attempts: fill,
                }],
            },
            theme,
        ),
        stock_vs_sales(
            &StockVsSales {
                year,
                lines: vec![LineStock {
                    product_line: "Van".into(),
                    stock: months,
                    planned_sales: months,
                    capped: months,
                }],
            },
            theme,
        ),
    ]
}

#[rstest]
fn charts_without_data_say_so(
    #[values(0.0, f64::NAN, f64::INFINITY)] fill: f64,
    #[values(Locale::En, Locale::De)] locale: Locale,
) {
    let theme = Theme::light(locale);
    let expected = leadplan_core::i18n::text(locale, "chart.no_data");
    let charts = empty_charts(&theme, fill);
    assert_eq!(charts.len(), ChartId::ALL.len());
    for svg in charts {
        let chart = read(&svg);
        assert_eq!(
            chart.note.as_deref(),
            Some(expected.as_str()),
            "{}",
            chart.id
        );
        assert!(chart.points.is_empty(), "{}", chart.id);
        assert!(!chart.title.is_empty());
        assert!(
            !chart.desc.contains("NaN") && !chart.desc.contains("inf"),
            "{}",
            chart.desc
        );
        assert!(painted_pixels(&svg) > 0);
    }
}

#[test]
fn nan_values_among_real_ones_are_left_out() {
    let mut data = sample::month_leads();
    data.planned[3] = f64::NAN;
    data.actual[1] = Some(f64::INFINITY);
    let chart = read(&leads_plan_vs_actual(&data, &en()));
    assert_eq!(chart.series("Plan").len(), 11);
    assert_eq!(chart.series("Actual").len(), 5);
    assert!(chart.points.iter().all(|p| p.raw.is_finite()));
}

#[test]
fn a_tiny_or_huge_size_is_clamped() {
    for (w, h) in [(0, 0), (1, 100_000), (u32::MAX, 3)] {
        let svg = conversion_vs_floor(&sample::conversion(), &en().with_size(w, h));
        let chart = read(&svg);
        assert_eq!(chart.id, "conversion_vs_floor");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn no_numbers_make_a_chart_panic_or_break_the_xml(
        values in prop::collection::vec(
            prop_oneof![
                Just(f64::NAN),
                Just(f64::INFINITY),
                Just(f64::NEG_INFINITY),
                Just(0.0),
                -1e6f64..1e6,
                0.0f64..1e15,
            ],
            24,
        ),
        names in prop::collection::vec("\\PC{0,12}", 0..6),
    ) {
        let theme = en();
        let at = |i: usize| values[i % values.len()];
        let planned: [f64; 12] = std::array::from_fn(at);
        let actual: [Option<f64>; 12] = std::array::from_fn(|i| Some(at(i + 12)));
        let mut charts = vec![
            leads_plan_vs_actual(&LeadsByMonth { year: empty_year(), planned, planned_to_date: actual, actual }, &theme),
            cumulative_vs_plan(
                &CumulativeYear {
                    year: empty_year(),
                    measure: Measure::Leads,
                    planned,
                    planned_to_date: Some(at(7)),
                    actual,
                    forecast: actual,
                    annual_target: Some(at(5)),
                },
                &theme,
            ),
        ];
        let sources: Vec<SourceFunnel> = names
            .iter()
            .enumerate()
            .map(|(i, name)| SourceFunnel {
                source: name.clone(),
                leads: at(i),
                contacted: at(i + 1),
                reached: at(i + 2),
                appointment: at(i + 3),
                won: at(i + 4),
            })
            .collect();
        charts.push(funnel_by_source(&FunnelBySource { sources }, &theme));
        let conversion: Vec<SourceConversion> = names
            .iter()
            .enumerate()
            .map(|(i, name)| SourceConversion {
                source: name.clone(),
                conversion: at(i),
                maturing: i % 2 == 0,
            })
            .collect();
        charts.push(conversion_vs_floor(
            &ConversionBySource { floor: at(7), sources: conversion },
            &theme,
        ));
        let costs: Vec<SourceCost> = names
            .iter()
            .enumerate()
            .map(|(i, name)| SourceCost {
                source: name.clone(),
                planned_per_lead: Some(at(i)),
                actual_per_lead: None,
                planned_per_sale: Some(at(i + 3)),
                actual_per_sale: Some(at(i + 9)),
            })
            .collect();
        charts.push(cost_per_lead_and_sale(
            &CostBySource { currency: "EUR".into(), sources: costs },
            &theme,
        ));
        for svg in &charts {
            let chart = read(svg);
            prop_assert!(chart.points.iter().all(|p| p.raw.is_finite()));
        }
    }
}

/// A real comparison: one source (direct conversion 10 %, €10 per lead), one product line
/// with 120 units a year (10 a month → 100 leads a month), leads in January (3, one won) and
/// February (2), compared on 10 March 2026.
fn small_comparison() -> (
    leadplan_core::actuals::PlanVsActual,
    leadplan_core::plan::PlanResult,
) {
    use chrono::{TimeZone, Utc};
    use leadplan_core::actuals::{CompareInput, CompareSettings, Filter, analyse, rollup};
    use leadplan_core::plan::{
        MixEntry, PlanInput, PlanProductLine, PlanSource, SourceShare, compute,
    };
    use leadplan_core::{
        Lead, Money, ProductLine, Settings, Source, SourceAssumptions, SourceKind, Stage,
    };
    let assumptions = SourceAssumptions {
        cost_per_lead: Money::from_units(10),
        fixed_monthly_cost: Money::ZERO,
        contact_rate: 1.0,
        appointment_rate: 1.0,
        close_rate: 1.0,
        direct_conversion: Some(0.1),
    };
    let input = PlanInput {
        sources: vec![PlanSource {
            id: 1,
            name: "Web".into(),
            kind: SourceKind::Owned,
            assumptions: assumptions.clone(),
        }],
        product_lines: vec![PlanProductLine {
            id: 7,
            name: "City".into(),
            annual_target: 120.0,
            monthly_targets: [None; 12],
            stock: [Some(12.0); 12],
        }],
        seasonality: [1.0; 12],
        launches: vec![],
        mix: (0..12)
            .map(|month| MixEntry {
                month,
                product_line_id: None,
                shares: vec![SourceShare {
                    source_id: 1,
                    share: 1.0,
                }],
            })
            .collect(),
        budgets: vec![],
        annual_budget_cap: None,
    };
    let plan = compute(&input, 0.13).unwrap();
    let lead = |day: u32, month: u32, won: bool| Lead {
        external_id: format!("{month}-{day}"),
        created_at: Utc.with_ymd_and_hms(2026, month, day, 10, 0, 0).unwrap(),
        source_id: Some(1),
        product_line_id: Some(7),
        first_attempt_at: Some(Utc.with_ymd_and_hms(2026, month, day, 10, 20, 0).unwrap()),
        first_two_way_at: None,
        attempts: 1,
        stage: if won { Stage::Won } else { Stage::Contacted },
        lost_reason: None,
        appointment_at: None,
        won_at: won.then(|| {
            Utc.with_ymd_and_hms(2026, month, day + 5, 10, 0, 0)
                .unwrap()
        }),
        value: won.then_some(Money::from_units(20_000)),
        owner: None,
    };
    let leads = [
        lead(5, 1, true),
        lead(6, 1, false),
        lead(7, 1, false),
        lead(3, 2, false),
        lead(4, 2, false),
    ];
    let settings = Settings::default();
    let compare = CompareInput {
        year: PlanYear::new(2026, 1),
        settings: CompareSettings::from(&settings),
        sources: vec![Source {
            id: 1,
            name: "Web".into(),
            kind: SourceKind::Owned,
            defaults: assumptions,
            active: true,
        }],
        product_lines: vec![ProductLine {
            id: 7,
            name: "City".into(),
            segment: String::new(),
            avg_revenue: Money::from_units(20_000),
            avg_margin: Money::from_units(2_000),
            active: true,
        }],
        planned: leadplan_core::actuals::PlannedFigures::default(),
        rollups: rollup(&leads, &settings.sla),
        spend: vec![],
        filter: Filter::default(),
    };
    let mut compare = compare;
    compare.planned = planned_figures_of(&plan);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
    (analyse(&compare, today), plan)
}

/// The plan in the comparison's shape (what the workbook does with `planned_figures`).
fn planned_figures_of(
    plan: &leadplan_core::plan::PlanResult,
) -> leadplan_core::actuals::PlannedFigures {
    use leadplan_core::Money;
    use leadplan_core::actuals::{PlannedFigures, PlannedProductLine, PlannedSource};
    PlannedFigures {
        sources: vec![PlannedSource {
            source_id: 1,
            leads: std::array::from_fn(|m| plan.month_source(m, 0).unwrap().leads),
            sales: std::array::from_fn(|m| plan.month_source(m, 0).unwrap().planned_sales),
            spend: std::array::from_fn(|m| plan.month_source(m, 0).unwrap().spend),
            budget: [Money::ZERO; 12],
        }],
        product_lines: vec![PlannedProductLine {
            product_line_id: 7,
            annual_target_units: 120.0,
            leads: std::array::from_fn(|m| plan.month_product_line(m, 0).unwrap().leads),
            sales: std::array::from_fn(|m| plan.month_product_line(m, 0).unwrap().planned_sales),
        }],
    }
}

#[test]
fn the_shared_charts_draw_the_numbers_of_the_comparison() {
    use leadplan_charts::shared::{SharedData, render, render_all};
    let (compare, plan) = small_comparison();
    let data = SharedData {
        compare: &compare,
        plan: &plan,
        currency: "EUR",
    };
    let all = render_all(&data, &en());
    assert_eq!(all.len(), ChartId::ALL.len());
    for c in &all {
        assert_eq!(read(&c.svg).id, c.id.as_str());
    }
    // 10 sales a month at 10 % need 100 leads; actual 3 in January, 2 in February, none yet
    // in March (started), nothing for April on
    let leads = read(&render(ChartId::LeadsPlanVsActual, &data, &en()));
    assert_eq!(leads.raws("", "Plan"), vec![100.0; 12]);
    assert_eq!(leads.raws("", "Actual"), vec![3.0, 2.0, 0.0]);
    // on 10 March, 10/31 of March's 100 are due: 32.3; to date 232.3, actual 5 = 2.2 %
    assert_eq!(
        leads.point("", "Plan", "Mar").title,
        "Plan · Mar: 100 (32.3 due by today)"
    );
    assert!(
        leads
            .desc
            .starts_with("Planned 232.3 leads to date, actual 5 (2%)."),
        "{}",
        leads.desc
    );
    // cumulative: plan 100, 200, …; actual 3, 5, 5 against 232.3 due; the target is the
    // year's 1,200 leads
    let cumulative = read(&render(ChartId::CumulativeVsPlan, &data, &en()));
    assert_eq!(cumulative.raws("", "Actual"), vec![3.0, 5.0, 5.0]);
    assert!(
        cumulative
            .desc
            .starts_with("Actual 5 to date against 232.3 planned (2%)."),
        "{}",
        cumulative.desc
    );
    assert_eq!(
        cumulative.point("", "Annual target", "Annual target").raw,
        1200.0
    );
    // every lead was contacted after 20 minutes: all five in the first bucket (0–15 min is
    // empty, 15–30 min holds them)
    let response = read(&render(ChartId::ResponseTimes, &data, &en()));
    let total: f64 = response.points.iter().map(|p| p.raw).sum();
    assert_eq!(total, 5.0);
    // stock 12 against planned sales of 10 a month
    let stock = read(&render(ChartId::StockVsSales, &data, &en()));
    assert!(stock.points.iter().any(|p| p.raw == 12.0));
    assert!(stock.points.iter().any(|p| p.raw == 10.0));
}
