#!/usr/bin/python3
"""x11_user.py TITLE ACTION...: a person at the X display, for the tests.

Waits for a window named TITLE to be mapped, gives it the keyboard focus,
then performs each ACTION through the XTEST extension (real device events,
as a keyboard and a mouse make, not synthetic ones an application may
ignore), 40 ms apart:

  key:NAME        press and release the key with X keysym NAME (Left, a, F1)
  move:X,Y        move the pointer to (X, Y) in the window's coordinates
  down:B, up:B    press or release mouse button B
  close           ask the window to close, as a window manager's close
                  button does (WM_PROTOCOLS / WM_DELETE_WINDOW)

Exit status 0 when every action was sent, 1 when the window never came
(within 20 s) or an action is malformed. Uses python3-xlib.
"""
import sys
import time

from Xlib import X, XK, display, protocol
from Xlib.ext import xtest

STEP_S = 0.04
WAIT_S = 20.0


def find_window(disp, title):
    pending = [disp.screen().root]
    while pending:
        w = pending.pop()
        try:
            if w.get_wm_name() == title and w.get_attributes().map_state == X.IsViewable:
                return w
            pending.extend(w.query_tree().children)
        except Exception:  # a window that went away while we looked
            continue
    return None


def wait_for_window(disp, title):
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        w = find_window(disp, title)
        if w is not None:
            return w
        time.sleep(0.05)
    return None


def keycode(disp, name):
    sym = XK.string_to_keysym(name)
    code = disp.keysym_to_keycode(sym) if sym else 0
    if not code:
        raise ValueError(f"no key for the keysym {name!r}")
    return code


def close(disp, win):
    protocols = disp.intern_atom("WM_PROTOCOLS")
    delete = disp.intern_atom("WM_DELETE_WINDOW")
    ev = protocol.event.ClientMessage(window=win, client_type=protocols,
                                      data=(32, [delete, X.CurrentTime, 0, 0, 0]))
    win.send_event(ev, event_mask=X.NoEventMask)


def perform(disp, win, action):
    verb, _, arg = action.partition(":")
    if verb == "key":
        code = keycode(disp, arg)
        xtest.fake_input(disp, X.KeyPress, code)
        xtest.fake_input(disp, X.KeyRelease, code)
    elif verb == "move":
        x, y = (int(v) for v in arg.split(","))
        at = disp.screen().root.translate_coords(win, x, y)
        xtest.fake_input(disp, X.MotionNotify, x=at.x, y=at.y)
    elif verb in ("down", "up"):
        kind = X.ButtonPress if verb == "down" else X.ButtonRelease
        xtest.fake_input(disp, kind, int(arg))
    elif verb == "close":
        close(disp, win)
    else:
        raise ValueError(f"unknown action {action!r}")
    disp.sync()


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 1
    disp = display.Display()
    win = wait_for_window(disp, argv[1])
    if win is None:
        print(f"x11_user: no window named {argv[1]!r} within {WAIT_S:.0f} s", file=sys.stderr)
        return 1
    win.set_input_focus(X.RevertToParent, X.CurrentTime)
    disp.sync()
    time.sleep(STEP_S)
    try:
        for action in argv[2:]:
            perform(disp, win, action)
            time.sleep(STEP_S)
    except ValueError as e:
        print(f"x11_user: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
