"""Sound for the melody and repair tasks: the melody event encoding, a small synthesiser, WAV and MIDI files that carry
the replay record, and piano-roll pictures."""
