"""Starting a helper program (ffmpeg) so that it ends with us.

Every ffmpeg this app starts (reels, probes, Anki clips) goes through `popen_child` or
`run_child`, which make the child die when this process dies, however it dies:

- Linux: the child asks the kernel for SIGKILL when its parent goes (PR_SET_PDEATHSIG via
  prctl, in the child between fork and exec). The kernel sends it when the *thread* that
  started the child ends, so start children from a thread that waits for them, as the reel
  and the exports do (they block until ffmpeg has finished).
- Windows: the child is put in a job object that kills its processes when the job's last
  handle closes; this process holds that handle until it exits.
- Other POSIX systems (macOS) have no such kernel mechanism: the child gets its own session,
  so that a Ctrl-C meant for us does not kill it half-way, and we end it ourselves on cancel.

On POSIX the child always gets its own session (`start_new_session`): a terminal's Ctrl-C
goes to this process, which cancels cleanly (removing temporary files) instead of ffmpeg
dying under it and leaving them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from typing import Any, Sequence

PR_SET_PDEATHSIG = 1


def _linux_prctl():
    """libc's prctl, looked up once in the parent: the child only calls it."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    prctl = libc.prctl
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return prctl


_prctl = _linux_prctl() if sys.platform.startswith("linux") else None


def _die_with(parent_pid: int):
    """The preexec_fn: runs in the child before exec."""
    def arrange() -> None:
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        # The parent may have died before prctl took effect; then nothing would kill us.
        if os.getppid() != parent_pid:
            os.kill(os.getpid(), signal.SIGKILL)
    return arrange


class _WindowsJob:
    """One job object for all our children, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE set. Its
    handle is never closed by us: Windows closes it when this process ends, which kills
    every process in the job."""

    _lock = threading.Lock()
    _handle = None
    _failed = False

    @classmethod
    def assign(cls, pid: int) -> bool:
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.CreateJobObjectW.restype = wintypes.HANDLE
        kernel32.CreateJobObjectW.argtypes = [ctypes.c_void_p, wintypes.LPCWSTR]
        kernel32.SetInformationJobObject.argtypes = [wintypes.HANDLE, ctypes.c_int, ctypes.c_void_p,
                                                     wintypes.DWORD]
        kernel32.OpenProcess.restype = wintypes.HANDLE
        kernel32.OpenProcess.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
        kernel32.AssignProcessToJobObject.argtypes = [wintypes.HANDLE, wintypes.HANDLE]
        kernel32.CloseHandle.argtypes = [wintypes.HANDLE]

        class BasicLimits(ctypes.Structure):
            _fields_ = [("PerProcessUserTimeLimit", ctypes.c_int64), ("PerJobUserTimeLimit", ctypes.c_int64),
                        ("LimitFlags", wintypes.DWORD), ("MinimumWorkingSetSize", ctypes.c_size_t),
                        ("MaximumWorkingSetSize", ctypes.c_size_t), ("ActiveProcessLimit", wintypes.DWORD),
                        ("Affinity", ctypes.c_size_t), ("PriorityClass", wintypes.DWORD),
                        ("SchedulingClass", wintypes.DWORD)]

        class IoCounters(ctypes.Structure):
            _fields_ = [(name, ctypes.c_uint64) for name in (
                "ReadOperationCount", "WriteOperationCount", "OtherOperationCount",
                "ReadTransferCount", "WriteTransferCount", "OtherTransferCount")]

        class ExtendedLimits(ctypes.Structure):
            _fields_ = [("BasicLimitInformation", BasicLimits), ("IoInfo", IoCounters),
                        ("ProcessMemoryLimit", ctypes.c_size_t), ("JobMemoryLimit", ctypes.c_size_t),
                        ("PeakProcessMemoryUsed", ctypes.c_size_t), ("PeakJobMemoryUsed", ctypes.c_size_t)]

        job_object_extended_limit_information = 9
        kill_on_job_close = 0x2000
        process_set_quota, process_terminate = 0x0100, 0x0001
        with cls._lock:
            if cls._failed:
                return False
            if cls._handle is None:
                handle = kernel32.CreateJobObjectW(None, None)
                limits = ExtendedLimits()
                limits.BasicLimitInformation.LimitFlags = kill_on_job_close
                if not handle or not kernel32.SetInformationJobObject(
                        handle, job_object_extended_limit_information, ctypes.byref(limits),
                        ctypes.sizeof(limits)):
                    cls._failed = True
                    return False
                cls._handle = handle
            process = kernel32.OpenProcess(process_set_quota | process_terminate, False, pid)
            if not process:
                return False
            try:
                return bool(kernel32.AssignProcessToJobObject(cls._handle, process))
            finally:
                kernel32.CloseHandle(process)


def _child_options(options: dict[str, Any]) -> dict[str, Any]:
    options = dict(options)
    if os.name == "nt":
        options["creationflags"] = options.get("creationflags", 0) | subprocess.CREATE_NEW_PROCESS_GROUP
    else:
        options["start_new_session"] = True
        if _prctl is not None:
            options["preexec_fn"] = _die_with(os.getpid())
    return options


def popen_child(args: Sequence[str], **options: Any) -> subprocess.Popen:
    """subprocess.Popen(args, **options) for a child that dies with this process."""
    process = subprocess.Popen(list(args), **_child_options(options))
    if os.name == "nt":
        try:
            _WindowsJob.assign(process.pid)
        except OSError:
            pass   # no job object: the child is still ended by cancel, just not by our death
    return process


def run_child(args: Sequence[str], *, timeout: float | None = None, capture_output: bool = False,
              **options: Any) -> subprocess.CompletedProcess:
    """subprocess.run(args, ...) for a child that dies with this process; on a timeout or any
    exception here (KeyboardInterrupt too) the child is killed before this returns."""
    if capture_output:
        options.update(stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    options.setdefault("stdin", subprocess.DEVNULL)
    with popen_child(args, **options) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except BaseException:
            process.kill()
            process.wait()
            raise
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
