//! Barcodes and printable PDF labels for real label stocks.
//! Planned: arrives with the storage-and-labels issue. Nothing here yet.
