"""Signals the hub sends so that the apps built on it can react, without the hub
knowing them (the hub imports no spoke).

`session_recorded(sender=Session, session, process, actor)`: a session was
recorded, sent inside the recording transaction (receivers write in it too).
"""

from django.dispatch import Signal

session_recorded = Signal()
