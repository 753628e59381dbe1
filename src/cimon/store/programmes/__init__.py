"""Programmes (创新型县(市)、创新型乡镇、科技示范村、试点县) from application to acceptance (issue #19
item 1): batches, applications with their construction plans, eligibility, expert review, 公示,
designation, yearly progress, acceptance and the case library. See ``docs/programmes.md``."""
