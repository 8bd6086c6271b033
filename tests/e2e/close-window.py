#!/usr/bin/python3
"""Asks the windows of process PID to close, as their close button does: sends each the
WM_DELETE_WINDOW message a window manager sends (there is none under Xvfb).

Usage: close-window.py PID    (exit 1 when the process has no such window)
"""
import sys

from Xlib import X, display, protocol

pid = int(sys.argv[1])
d = display.Display()
NET_WM_PID = d.intern_atom("_NET_WM_PID")
WM_PROTOCOLS = d.intern_atom("WM_PROTOCOLS")
WM_DELETE_WINDOW = d.intern_atom("WM_DELETE_WINDOW")


def windows(w):
    yield w
    for child in w.query_tree().children:
        yield from windows(child)


sent = 0
for w in windows(d.screen().root):
    owner = w.get_full_property(NET_WM_PID, X.AnyPropertyType)
    if not owner or owner.value[0] != pid or WM_DELETE_WINDOW not in (w.get_wm_protocols() or []):
        continue
    event = protocol.event.ClientMessage(
        window=w, client_type=WM_PROTOCOLS, data=(32, [WM_DELETE_WINDOW, X.CurrentTime, 0, 0, 0])
    )
    w.send_event(event, event_mask=X.NoEventMask)
    sent += 1
d.flush()
sys.exit(0 if sent else 1)
