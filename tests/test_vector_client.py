"""Opening one Chroma store from two threads at once (the UI and the ask API of `casegraph serve`)."""

import threading

from search.vector import VectorIndex


def test_two_threads_open_the_same_store_at_once(tmp_path):
    errors, counts = [], []

    def open_index():
        try:
            counts.append(VectorIndex(tmp_path / "chroma").collection.count())
        except Exception as exc:  # noqa: BLE001 - the failure is what the test looks for
            errors.append(exc)

    threads = [threading.Thread(target=open_index) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and counts == [0, 0, 0]
