"""One call per entry of the Python catalogue (see `currantc catalogue`).

Nothing here runs: the calls sit in a function that is never called, so the
file is only compiled.  tests/suites/25-catalogue.sh checks that every entry
of the table appears as a site in some golden manifest.
"""
import datetime
import getpass
import glob
import io
import os
import os.path
import pathlib
import platform
import random
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
import uuid

import currant


def every_entry(p, d):
    currant.sleep(1)
    currant.now()
    currant.random()
    currant.uuid()
    currant.wait_event("approved", 60)
    currant.prompt("Summarise {x}", x=1)
    currant.poll(lambda: True, every=1, timeout=10)
    await_all = [
        currant.sleep_async(1),
        currant.wait_event_async("approved", 60),
        currant.prompt_async("Summarise {x}", x=1),
        currant.poll_async(lambda: True, every=1, timeout=10),
    ]
    time.time()
    time.time_ns()
    time.monotonic()
    time.monotonic_ns()
    time.perf_counter()
    time.perf_counter_ns()
    time.process_time()
    time.localtime()
    time.gmtime()
    time.ctime()
    time.asctime()
    time.strftime("%H:%M")
    time.sleep(0)
    datetime.datetime.now()
    datetime.datetime.utcnow()
    datetime.datetime.today()
    datetime.date.today()
    random.random()
    uuid.uuid1()
    uuid.uuid4()
    os.urandom(8)
    os.getrandom(8)
    secrets.token_hex()
    os.getenv("HOME")
    os.environ.get("HOME")
    os.environ["HOME"]
    input()
    subprocess.run(["true"])
    subprocess.call(["true"])
    subprocess.check_call(["true"])
    subprocess.check_output(["true"])
    subprocess.Popen(["true"])
    subprocess.getoutput("true")
    subprocess.getstatusoutput("true")
    os.system("true")
    os.popen("true")
    os.getcwd()
    os.getpid()
    socket.gethostname()
    platform.node()
    getpass.getuser()
    os.getlogin()
    shutil.which("sh")
    urllib.request.urlopen("http://localhost")
    f = open(p)
    f.read()
    f.readline()
    f.readlines()
    f.write("x")
    f.writelines(["x"])
    io.open(p)
    os.listdir(d)
    os.scandir(d)
    os.walk(d)
    os.stat(p)
    os.lstat(p)
    os.access(p, os.R_OK)
    os.readlink(p)
    os.path.lexists(p)
    os.path.islink(p)
    os.path.getatime(p)
    os.path.getctime(p)
    os.path.exists(p)
    os.path.isfile(p)
    os.path.isdir(d)
    os.path.getsize(p)
    os.path.getmtime(p)
    os.mkdir(d)
    os.makedirs(d)
    os.remove(p)
    os.unlink(p)
    os.rmdir(d)
    os.rename(p, d)
    os.replace(p, d)
    os.symlink(p, d)
    os.link(p, d)
    os.chmod(p, 0o644)
    os.utime(p)
    os.truncate(p, 0)
    shutil.copy(p, d)
    shutil.copy2(p, d)
    shutil.copyfile(p, d)
    shutil.copytree(d, p)
    shutil.move(p, d)
    shutil.rmtree(d)
    glob.glob("*.py")
    glob.iglob("*.py")
    tempfile.mkdtemp()
    tempfile.mkstemp()
    tempfile.TemporaryDirectory()
    tempfile.NamedTemporaryFile()
    pathlib.Path.cwd()
    pathlib.Path.home()
    q = pathlib.Path(p)
    q.read_text()
    q.read_bytes()
    q.write_text("x")
    q.write_bytes(b"x")
    q.open()
    q.exists()
    q.is_file()
    q.is_dir()
    q.stat()
    q.iterdir()
    q.glob("*")
    q.rglob("*")
    q.mkdir()
    q.touch()
    q.unlink()
    q.rmdir()
    q.rename(d)
    q.replace(d)
    q.is_symlink()
    q.lstat()
    q.readlink()
    q.samefile(d)
    q.owner()
    q.group()
    q.chmod(0o644)
    q.symlink_to(d)
    q.hardlink_to(d)


print("compiled")
