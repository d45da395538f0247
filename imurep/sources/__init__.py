"""One source of sample blocks for the pipeline: recordings and app exports read from disk
(:mod:`imurep.sources.files`, synchronous iterators of blocks), and a phone running phyphox read
over its remote-access interface (:mod:`imurep.sources.phyphox_remote`, an async iterator).

BLE devices and the virtual band stream through :mod:`imurep.ble`; phyphox *exports* (files a
phone saved) are read by :mod:`imurep.importers.phyphox_export`.
"""
