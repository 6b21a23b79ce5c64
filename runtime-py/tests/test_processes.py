"""subprocess.Popen under a run: what a live process gave the program is
recorded when the program sees it end, and a replayed one gives it back."""
import subprocess
import unittest

from currant._processes import RecordingPopen, ReplayedPopen


def recording(cmd, **kwargs):
    records = []
    return RecordingPopen(subprocess.Popen(cmd, **kwargs), records.append), records


class RecordingPopenTest(unittest.TestCase):
    def test_communicate_records_all_output(self):
        p, records = recording(["sh", "-c", "echo out; echo err >&2; exit 2"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(p.communicate(), ("out\n", "err\n"))
        self.assertEqual(len(records), 1)
        r = records[0]
        self.assertEqual((r["returncode"], r["stdout"], r["stderr"]), (2, "out\n", "err\n"))
        self.assertEqual(r["pid"], p.pid)

    def test_reads_before_and_after_wait_are_in_the_record(self):
        p, records = recording(["sh", "-c", "echo a; echo b; echo c"], stdout=subprocess.PIPE)
        self.assertEqual(p.stdout.readline(), b"a\n")
        self.assertEqual(records, [])  # not ended yet, as far as the program knows
        self.assertEqual(p.wait(), 0)
        self.assertEqual(records[0]["stdout"], b"a\nb\nc\n")
        self.assertEqual(p.stdout.read(), b"b\nc\n")  # read after the commit, from memory
        p.stdout.close()

    def test_unanswered_polls_are_counted_and_with_waits(self):
        p, records = recording(["sh", "-c", "sleep 0.2"])
        with p:
            self.assertIsNone(p.poll())
        self.assertEqual(records[0]["asked"], 1)
        self.assertEqual(records[0]["returncode"], 0)
        self.assertIsNone(records[0]["stdout"])

    def test_commits_once(self):
        p, records = recording(["true"])
        p.wait()
        p.wait()
        p.poll()
        self.assertEqual(len(records), 1)


class ReplayedPopenTest(unittest.TestCase):
    RECORD = {"pid": 7, "returncode": 3, "stdout": b"one\ntwo\n", "stderr": None,
              "stdin": True, "asked": 2}

    def test_answers_as_recorded(self):
        seen = []
        p = ReplayedPopen(self.RECORD, ["cmd"], lambda: seen.append(1))
        self.assertIsNone(p.poll())
        with self.assertRaises(subprocess.TimeoutExpired):
            p.wait(timeout=1)
        self.assertEqual(seen, [])
        self.assertEqual(p.stdout.readline(), b"one\n")
        self.assertEqual(p.communicate(), (b"two\n", None))
        self.assertEqual((p.returncode, p.pid, seen), (3, 7, [1]))
        self.assertEqual(p.wait(), 3)
        self.assertEqual(seen, [1])
        self.assertEqual(p.stdin.write(b"ignored"), 7)
        p.kill()

    def test_a_process_left_running_never_ends(self):
        p = ReplayedPopen(None, ["cmd"], lambda: None)
        self.assertIsNone(p.poll())
        self.assertIsNone(p.returncode)


if __name__ == "__main__":
    unittest.main()
