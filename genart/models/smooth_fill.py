"""Parameter-free smooth fills of an image's unknown pixels from its known ones: push-pull (mask-normalised
averages over a pyramid), harmonic (the fill whose gradient is smallest: Laplace's equation, a membrane stretched
over the hole's edge), biharmonic (the fill whose Laplacian is smallest, so the hole continues the surrounding
shading and its slope, as in Damelin & Hoang 2018 and scikit-image's inpaint_biharmonic) and between the two a
thin plate under tension (Smith & Wessel 1990, GMT's `surface -T`): some of the plate's slope, less of its overshoot.

Each takes x (B, C, H, W) with known (B, 1, H, W) in {0, 1} and returns (B, C, H, W): x where known, the fill
elsewhere.
"""
import torch
import torch.nn.functional as F

COARSEST = 32  # pixels: the coarse-to-fine solves start at about this size
BIHARMONIC_STEPS = 60  # conjugate-gradient steps at each level
HARMONIC_STEPS = 60
TENSION_STEPS = 60
TENSION = 1 / 3  # Smith & Wessel's T, chosen on crops of the training photos, never the held-out ones (docs/BENCHMARKS.md)


def push_pull(x: torch.Tensor, known: torch.Tensor, levels: int = 7) -> torch.Tensor:
    """Averages of known pixels at halving resolutions (push), then from the coarsest level back up, each level keeps
    its own estimate where it saw enough known pixels and takes the coarser one elsewhere (pull)."""
    nums, dens = [x * known], [known]
    for _ in range(levels):
        nums.append(F.avg_pool2d(nums[-1], 2, ceil_mode=True))
        dens.append(F.avg_pool2d(dens[-1], 2, ceil_mode=True))
    fill = (nums[-1].sum((2, 3), keepdim=True) / dens[-1].sum((2, 3), keepdim=True).clamp_min(1e-6)).expand_as(nums[-1])
    for level in range(levels, -1, -1):
        num, den = nums[level], dens[level]
        fill = F.interpolate(fill, size=num.shape[-2:], mode="bilinear", align_corners=False)
        weight = den if level == 0 else (4 * den).clamp(max=1)  # at full resolution: exactly the known pixels
        fill = weight * num / den.clamp_min(1e-6) + (1 - weight) * fill
    return fill


def laplacian(u: torch.Tensor) -> torch.Tensor:
    """(B, C, H, W) -> the 5-point Laplacian with the border replicated: the grid graph's, so it is symmetric."""
    p = F.pad(u, (1, 1, 1, 1), mode="replicate")
    return p[..., :-2, 1:-1] + p[..., 2:, 1:-1] + p[..., 1:-1, :-2] + p[..., 1:-1, 2:] - 4 * u


def bilaplacian(u: torch.Tensor) -> torch.Tensor:
    """The gradient of |laplacian(u)|^2 / 2: curvature's energy."""
    return laplacian(laplacian(u))


def negative_laplacian(u: torch.Tensor) -> torch.Tensor:
    """The gradient of |grad u|^2 / 2: a membrane's energy."""
    return -laplacian(u)


def conjugate_gradients(u: torch.Tensor, unknown: torch.Tensor, operator, steps: int) -> torch.Tensor:
    """Conjugate gradients on the energy whose gradient is operator(u) (symmetric, positive semi-definite), over the
    unknown pixels (B, 1, H, W), from u; each (image, channel) is its own system, solved side by side."""
    r = -operator(u) * unknown  # minus the gradient, where u may move
    p, rr = r, (r * r).sum((2, 3), keepdim=True)  # (B, C, 1, 1)
    for _ in range(steps):
        ap = operator(p) * unknown
        curvature = (p * ap).sum((2, 3), keepdim=True)  # 0 once a system is solved (or has nothing to solve)
        alpha = torch.where(curvature > 0, rr / curvature, torch.zeros_like(rr))
        u, r = u + alpha * p, r - alpha * ap
        rr, rr_old = (r * r).sum((2, 3), keepdim=True), rr
        p = r + torch.where(rr_old > 0, rr / rr_old, torch.zeros_like(rr)) * p
    return u


def coarse_to_fine(x: torch.Tensor, known: torch.Tensor, operator, steps: int) -> torch.Tensor:
    """The fill of least energy, solved coarse to fine: at each halving the cells wholly known keep their mean, the
    rest start from the level below (push-pull at the coarsest), so a wide hole needs no more steps than a narrow one.
    In float32 whatever x's dtype: conjugate gradients in half precision stall."""
    dtype, x, known = x.dtype, x.float(), known.float()
    xs, knowns = [x * known], [known]
    while min(xs[-1].shape[-2:]) > COARSEST:
        xs.append(F.avg_pool2d(xs[-1], 2, ceil_mode=True))
        knowns.append(F.avg_pool2d(knowns[-1], 2, ceil_mode=True))
    u = None
    for level_x, level_known in zip(reversed(xs), reversed(knowns)):
        whole = (level_known > 0.999).float()  # (B, 1, h, w): cells with every pixel known
        values = level_x / level_known.clamp_min(1e-6)  # (B, C, h, w): their means
        start = push_pull(values * whole, whole) if u is None else F.interpolate(
            u, size=values.shape[-2:], mode="bilinear", align_corners=False)
        u = conjugate_gradients(whole * values + (1 - whole) * start, 1 - whole, operator, steps)
    return (known * x + (1 - known) * u).to(dtype)


def biharmonic_fill(x: torch.Tensor, known: torch.Tensor, steps: int = BIHARMONIC_STEPS) -> torch.Tensor:
    """Least curvature. Stopped after a fixed number of steps a level: the solved fill overshoots more, and scores
    lower in the hole on photos and art alike (docs/BENCHMARKS.md)."""
    return coarse_to_fine(x, known, bilaplacian, steps)


def harmonic_fill(x: torch.Tensor, known: torch.Tensor, steps: int = HARMONIC_STEPS) -> torch.Tensor:
    """Least slope: solved, each channel stays within the range of its known pixels (no overshoot), which on photos
    and art alike scores closer in the hole than the biharmonic fill."""
    return coarse_to_fine(x, known, negative_laplacian, steps)


def tensioned_plate(tension: float):
    """The gradient of (1 - T) |laplacian(u)|^2 / 2 + T |grad u|^2 / 2: a thin plate (T = 0) to a membrane (T = 1)."""
    def operator(u: torch.Tensor) -> torch.Tensor:
        return (1 - tension) * bilaplacian(u) + tension * negative_laplacian(u)

    return operator


def tension_fill(x: torch.Tensor, known: torch.Tensor, steps: int = TENSION_STEPS, tension: float = TENSION) -> torch.Tensor:
    """A thin plate under tension: on photos and art it scores closer in the hole than either the harmonic or the
    biharmonic fill alone (docs/BENCHMARKS.md)."""
    return coarse_to_fine(x, known, tensioned_plate(tension), steps)
