"""The byte-level BPE tokenizer of genart's small text models, trained with `tokenizers` on the artwork corpus."""
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

END = "<|endoftext|>"  # ends a line and, prepended by the post-processor, starts the next one (as in GPT-2)


def train_tokenizer(lines: list[str], vocab_size: int) -> Tokenizer:
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=[END],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(lines, trainer)
    end = tok.token_to_id(END)
    tok.post_processor = processors.TemplateProcessing(single=f"{END} $A", special_tokens=[(END, end)])
    return tok
