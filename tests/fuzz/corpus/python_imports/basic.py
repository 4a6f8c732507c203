import os, sys as system
import a.b.c
from x.y import z
from . import local
from ..pkg import thing
from __future__ import annotations
