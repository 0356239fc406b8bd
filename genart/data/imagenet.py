"""The 1,000 ILSVRC-2012 (ImageNet) classes by name, in class-index order: what a class-conditional ImageNet GAN
(BigGAN) is asked for. The short WordNet names torchvision's model weights use, one per line in
imagenet_classes.txt."""
from pathlib import Path

CLASSES = tuple((Path(__file__).with_name("imagenet_classes.txt")).read_text().splitlines())
