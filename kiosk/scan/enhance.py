"""Image treatments for hard crops: local equalisation, unsharp masking and motion deblurring."""

from __future__ import annotations

import cv2
import numpy as np

_CLAHE = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8))


def clahe(gray: np.ndarray) -> np.ndarray:
    """Local histogram equalisation: lifts low contrast, uneven light and the edge of glare."""
    return _CLAHE.apply(gray)


def sharpen(gray: np.ndarray, sigma: float, amount: float = 1.5) -> np.ndarray:
    """Unsharp mask: restores the edge contrast that defocus, motion and small modules blur away."""
    f = gray.astype(np.float32)
    blurred = cv2.GaussianBlur(f, (0, 0), sigma)
    return np.clip(f + amount * (f - blurred), 0, 255).astype(np.uint8)


def motion_psf(length: float, angle_deg: float, shape: tuple[int, int]) -> np.ndarray:
    """A normalised straight-line blur kernel of `length` pixels at `angle_deg`, centred at (0, 0) of `shape` (wrapped)."""
    n = int(length) | 1
    line = np.zeros((n, n), np.float32)
    line[n // 2, :] = 1.0
    rot = cv2.getRotationMatrix2D((n / 2 - 0.5, n / 2 - 0.5), angle_deg, 1.0)
    kernel = cv2.warpAffine(line, rot, (n, n)).astype(np.float32)
    kernel = kernel / max(float(kernel.sum()), 1e-6)
    psf = np.zeros(shape, np.float32)
    psf[:n, :n] = kernel
    return np.roll(psf, (-(n // 2), -(n // 2)), axis=(0, 1))


def deblur_motion(gray: np.ndarray, length: float, angle_deg: float, noise: float = 0.02) -> np.ndarray:
    """Wiener deconvolution with a straight-line motion kernel (the direction is not known, so callers try several)."""
    f = gray.astype(np.float32) / 255.0
    h = np.fft.rfft2(motion_psf(length, angle_deg, f.shape))
    restored = np.fft.irfft2(np.fft.rfft2(f) * np.conj(h) / (np.abs(h) ** 2 + noise), s=f.shape)
    return np.clip(restored * 255.0, 0, 255).astype(np.uint8)


def flatten(gray: np.ndarray, sigma: float) -> np.ndarray:
    """Subtract the smooth background (Gaussian of `sigma`): removes additive glare and shading, keeps bars and modules."""
    f = gray.astype(np.float32)
    return np.clip(f - cv2.GaussianBlur(f, (0, 0), sigma) + 128.0, 0, 255).astype(np.uint8)
