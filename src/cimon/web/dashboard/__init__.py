"""The dashboard (数据看板): published results as pages with ECharts charts (issue #7)."""
