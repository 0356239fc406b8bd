from genart.ui import launch

launch()
