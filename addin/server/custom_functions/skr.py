"""The SKR_* custom functions (Office.js), made from the one registry.

Each function is ``skr_fee.udf`` behind xlwings Server's ``@func``, named as on
the desktop (``SKR_FEE``): the production manifest has no namespace, so Excel
shows ``=SKR_FEE`` (a development add-in keeps a ``DEV.`` prefix so that it
does not clash with the production one). Parameters carry their Swedish
labels (``år``), which is what Excel shows while typing. An error
cell travels as a string marked with ``ERROR_MARK``; the add-in's JavaScript
(``/skr/custom-functions-code.js``) turns it into a real ``#N/A`` or
``#VALUE!`` with the Swedish message on hover.

In the browser build (addin/wasm) this module gives the metadata only: the page's own
JavaScript hands the calls to ``skr_fee.excel.batch.call_many``.
"""

import logging

from xlwings.server import arg, func

from skr_fee.excel import udf
from skr_fee.excel.functions import REGISTRY, ExcelFunction
from skr_fee.excel.officejs import as_cells, compute_cells
from skr_fee.server.limits import CALL_TIME_LIMIT_S

__all__ = [fn.officejs_name for fn in REGISTRY]


INLINE_CELLS = 300


def _cells(arg) -> int:
    return sum(len(r) if isinstance(r, list) else 1 for r in arg) if isinstance(arg, list) else 1


def _officejs(fn: ExcelFunction):
    compute = udf.FUNCTIONS[fn.python_name]

    def guarded(*args):  # a value no check foresaw: the cell shows it, the server goes on
        return compute_cells(fn, list(args), logging.getLogger(__name__))

    async def wrapper(*args):
        # a call the size of a column of all municipalities computes in about a millisecond, here;
        # a bigger one in a worker thread, so that it holds up no other call, bounded in time
        if sum(_cells(a) for a in args) <= INLINE_CELLS:
            return guarded(*args)
        import anyio  # the server only: in the browser build calls go to skr_fee.excel.batch

        try:
            with anyio.fail_after(CALL_TIME_LIMIT_S):
                return await anyio.to_thread.run_sync(guarded, *args, abandon_on_cancel=True)
        except TimeoutError:
            return as_cells(udf.CellError("#VALUE!", f"{fn.officejs_name} tog längre än {CALL_TIME_LIMIT_S:g} s och "
                                                     "avbröts. Dela upp området i mindre delar."))

    wrapper.__signature__ = fn.signature(compute)
    wrapper.__name__ = wrapper.__qualname__ = fn.officejs_name
    wrapper.__doc__ = fn.doc
    wrapper.__module__ = __name__
    wrapper = func(wrapper)
    for a in fn.args:
        options = {"ndim": 2} if (a.per_row or a.range) else {}
        wrapper = arg(a.label, doc=a.doc, **options)(wrapper)
    return wrapper


for _fn in REGISTRY:
    globals()[_fn.officejs_name] = _officejs(_fn)
