"""Reports people share: the per-model HTML page and Excel workbook, and JSON documents."""
