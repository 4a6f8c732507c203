from typing import TYPE_CHECKING
if TYPE_CHECKING:
    import typed_only
    from typed.mod import T
else:
    import runtime_mod

class C:
    def method(self):
        import in_method
        return in_method

async def go():
    import in_async
def one(): import same_line
if typing.TYPE_CHECKING: import also_typed
