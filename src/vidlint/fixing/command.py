"""A plan as an ffmpeg command line, built with ffmpeg-python (the project's declared ffmpeg binding)."""

from __future__ import annotations

from typing import Any

from vidlint.fixing.options import Quality
from vidlint.fixing.plan import Geometry, Plan
from vidlint.fixing.video import EIGHT_BIT, Treatment

# how ffmpeg reports progress to vidlint (key=value lines on stdout), kept out of the shown command
PROGRESS_ARGS = ("-progress", "pipe:1", "-nostats")


def command(plan: Plan, source: str, output: str, quality: Quality, *, ffmpeg: str = "ffmpeg") -> list[str]:
    """The ffmpeg arguments that turn ``source`` into ``output`` (overwritten: it is vidlint's temp file)."""
    import ffmpeg as ff

    stream = ff.input(source)
    video: Any = _treated(stream["v:0"], plan.video.treatment)
    if plan.video.geometry is not None:
        video = _picture(video, plan.video.geometry)
    streams = [video, *_audio(stream, plan)]
    out = ff.output(*streams, output, **_output_args(plan, quality))
    out = out.global_args("-hide_banner", "-nostdin", "-loglevel", "error", *PROGRESS_ARGS)
    return list(ff.compile(out, cmd=ffmpeg, overwrite_output=True))


def _audio(stream: Any, plan: Plan) -> list[Any]:
    if plan.audio is None:
        return []
    if plan.audio.first_only:
        return [stream[f"a:{index}"] for index in range(plan.audio.tracks)]
    return [stream["a"]]


# the transfer names zscale reads an HDR picture with (its primaries and matrix are BT.2020)
_ZSCALE_TRANSFER = {"pq": "smpte2084", "hlg": "arib-std-b67"}


def _treated(video: Any, treat: Treatment) -> Any:
    """Tone-mapped to SDR (linear light, Hable's curve, back to BT.709 at 8 bits) and at a constant
    frame rate, before the picture is scaled."""
    if treat.tone_map is not None:
        video = (
            video.filter("zscale", tin=_ZSCALE_TRANSFER[treat.tone_map], min="bt2020nc", pin="bt2020",
                         t="linear", npl=100)
            .filter("format", "gbrpf32le")
            .filter("zscale", p="bt709")
            .filter("tonemap", tonemap="hable", desat=0)
            .filter("zscale", t="bt709", m="bt709", r="tv")
            .filter("format", EIGHT_BIT)
        )  # fmt: skip
    if treat.fps is not None:
        video = video.filter("fps", treat.fps)
    return video


def _picture(video: Any, g: Geometry) -> Any:
    """Scale to the content size with square pixels, then pad (centred, black) or crop to the frame.
    ffmpeg has already turned a rotated picture upright (autorotate) when the filters run."""
    video = video.filter("scale", g.content[0], g.content[1]).filter("setsar", 1)
    if g.mode == "pad":
        return video.filter("pad", g.width, g.height, "(ow-iw)/2", "(oh-ih)/2", color="black")
    if g.mode == "crop":
        return video.filter("crop", g.width, g.height)
    return video


def _output_args(plan: Plan, quality: Quality) -> dict[str, Any]:
    args: dict[str, Any] = {"f": plan.muxer, "movflags": "+faststart", "map_metadata": 0}
    job = plan.video
    if job.encoder is None:
        args["c:v"] = "copy"
    else:
        pix_fmt = EIGHT_BIT if job.treatment.eight_bit else quality.pix_fmt
        args.update({"c:v": job.encoder, "pix_fmt": pix_fmt})
        if job.profile is not None:
            args["profile:v"] = job.profile
        if job.treatment.tone_map is not None:
            args.update({"color_primaries": "bt709", "color_trc": "bt709", "colorspace": "bt709"})
        if job.encoder in ("libx264", "libx265"):
            args["preset"] = quality.preset
        if job.bitrate is not None:
            args.update({"b:v": job.bitrate, "maxrate": job.bitrate, "bufsize": job.bitrate * 2})
        else:
            args["crf"] = quality.crf
        if job.encoder == "libx265":
            args["x265-params"] = "log-level=error"
    if job.tag:
        args["tag:v"] = job.tag
    if plan.audio is not None:
        encoder = plan.audio.encoder
        args["c:a"] = "copy" if encoder is None else encoder
        if encoder is not None and not encoder.startswith("pcm_"):
            args["b:a"] = quality.audio_bitrate
    if plan.trim_s is not None:
        args["t"] = f"{plan.trim_s:.3f}"
    if plan.no_edit_list:
        args["use_editlist"] = 0
    return args


def shown(args: list[str], temporary: str, final: str) -> str:
    """The command as run, for the report: vidlint's progress plumbing left out and the temporary
    output named by its final path."""
    import shlex

    kept: list[str] = []
    skip = 0
    for index, arg in enumerate(args):
        if skip:
            skip -= 1
            continue
        if arg == PROGRESS_ARGS[0] and args[index + 1 : index + 2] == [PROGRESS_ARGS[1]]:
            skip = 1
            continue
        if arg == PROGRESS_ARGS[2]:
            continue
        kept.append(final if arg == temporary else arg)
    return shlex.join(kept)
