"""科技特派员 pages (#17): commissioners, units, counties, the province and the rating link."""
