"""One source of sample blocks for the pipeline, named once and opened one way.

- :mod:`imurep.sources.spec`: a ``--device`` string or a path, parsed at the command-line edge into
  a :class:`~imurep.sources.spec.SourceSpec` (a recording, an app export, a BLE device, the virtual
  band with its settings, or a phone running phyphox).
- :mod:`imurep.sources.open_source`: :func:`~imurep.sources.open_source.open_source` opens any spec
  as an *async* iterator of blocks with its link status; ``imurep record``, ``live``, ``demo`` and a
  replay all go through it.
- :mod:`imurep.sources.files`: recordings and app exports read from disk as *synchronous* iterators
  of blocks (:func:`~imurep.sources.files.open_samples`): offline analysis feeds the same pipeline
  with them, in large blocks.
- :mod:`imurep.sources.phyphox_remote`: the *live* phyphox source (its remote-access interface over
  HTTP); phyphox *exports* (files a phone saved) are read by :mod:`imurep.importers.phyphox_export`.
- :mod:`imurep.sources.link`: the link health a live source reports.

BLE devices and the virtual band themselves live in :mod:`imurep.ble`.
"""
