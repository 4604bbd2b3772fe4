import gc
import importlib


def test_server_start_up_freezes_what_it_loaded():
    """Objects loaded at start-up are moved out of the garbage collector's full collections."""
    gc.unfreeze()
    importlib.reload(importlib.import_module("essaybank.wsgi"))
    assert gc.get_freeze_count() > 10_000
