"""tthc_adapters: thin adapters around :mod:`tthc_core`.

``calendar`` (holidays), ``qr`` (segno, qrcode, zxing-cpp), ``storage`` (memory,
SQLite, PostgreSQL), ``postal``, ``zalo``, and the entry points (CLI, ASGI app).
Each optional adapter needs its extra (``tthc[qr]``, ``tthc[postgres]``...).
"""
