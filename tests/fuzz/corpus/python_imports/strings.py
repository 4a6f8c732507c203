"""import not_this
from not_that import x
"""
s = 'import nope'
t = f"{x} import nope"
r = rb'\'import nope'
u = """unterminated? no
import still_string """
# import commented
x = (1,
import_module("dyn.amic"),
)
importlib.import_module('other.dyn')
__import__("legacy")
importlib.import_module(".relative", package="p")
INSTALLED_APPS = [
    "django.contrib.admin",
    'rest_framework',
]
INSTALLED_APPS += ("extra_app",)
