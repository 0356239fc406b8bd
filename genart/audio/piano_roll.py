"""A melody as a piano-roll picture: time across (a column per 16th note, a line at every bar), pitch up (a row per
semitone, C rows shaded and named), primer notes in one colour and the model's in another."""
from PIL import Image, ImageDraw

from .events import HIGH, LOW, STEPS_PER_BAR, Note, note_name

STEP_PX, PITCH_PX = 6, 5
BACKGROUND, C_ROW, BAR_LINE = (250, 248, 243), (236, 232, 222), (200, 194, 180)
PRIMER, SAMPLED, LABEL = (120, 120, 140), (192, 72, 48), (150, 144, 130)


def piano_roll(notes: list[Note], steps: int, primer_steps: int = 0) -> Image.Image:
    """An RGB picture of `steps` 16th notes (at least a bar); notes before primer_steps are drawn as the primer."""
    steps = max(steps, STEPS_PER_BAR)
    rows = HIGH - LOW + 1
    image = Image.new("RGB", (steps * STEP_PX + 1, rows * PITCH_PX + 1), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for pitch in range(LOW, HIGH + 1, 12):
        y = (HIGH - pitch) * PITCH_PX
        draw.rectangle([0, y, steps * STEP_PX, y + PITCH_PX - 1], fill=C_ROW)
        draw.text((2, y - 11), note_name(pitch), fill=LABEL)
    for bar in range(0, steps + 1, STEPS_PER_BAR):
        draw.line([bar * STEP_PX, 0, bar * STEP_PX, rows * PITCH_PX], fill=BAR_LINE)
    for note in notes:
        if not LOW <= note.pitch <= HIGH or note.start >= steps:
            continue
        y = (HIGH - note.pitch) * PITCH_PX
        draw.rectangle([note.start * STEP_PX + 1, y, min(note.end, steps) * STEP_PX - 1, y + PITCH_PX - 1],
                       fill=PRIMER if note.start < primer_steps else SAMPLED)
    return image
