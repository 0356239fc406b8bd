"""The leaderboard as a picture: each model's rating as a dot on its bootstrap 95% interval, best at the top."""
from PIL import Image, ImageDraw

from .pipelines.compare_grid import typeface
from .ratings import Standing

ROW, LEFT, RIGHT, TOP = 30, 200, 30, 34
WIDTH = 720


def interval_plot(table: list[Standing]) -> Image.Image:
    height = TOP + ROW * max(1, len(table)) + 30
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    font, small = typeface(14), typeface(11)
    if not table:
        draw.text((LEFT, TOP), "No votes yet.", font=font, fill=(90, 90, 90))
        return image
    low = min(s.low for s in table) - 10
    high = max(s.high for s in table) + 10

    def x(rating: float) -> float:
        return LEFT + (rating - low) / (high - low) * (WIDTH - LEFT - RIGHT)

    draw.text((LEFT, 8), "rating with its 95% interval (Bradley–Terry, bootstrap)", font=small, fill=(90, 90, 90))
    step = next(s for s in (10, 20, 25, 50, 100, 200, 250, 500, 1000) if (high - low) / s <= 8)
    for tick in range(int(low // step + 1) * step, int(high) + 1, step):
        draw.line([(x(tick), TOP - 6), (x(tick), height - 26)], fill=(230, 230, 230))
        draw.text((x(tick) - 12, height - 22), str(tick), font=small, fill=(110, 110, 110))
    for i, s in enumerate(table):
        y = TOP + ROW * i + ROW // 2
        draw.text((10, y - 8), s.model[:26], font=font, fill=(30, 30, 30))
        draw.line([(x(s.low), y), (x(s.high), y)], fill=(70, 110, 200), width=3)
        draw.ellipse([x(s.rating) - 5, y - 5, x(s.rating) + 5, y + 5], fill=(20, 50, 140))
    return image
