"""A LAVA lab in a test: the XML-RPC calls lavacli makes (system.version, scheduler.jobs.submit,
.show, .logs) over a worker that is LAVA's own lava-run on this machine, plus an HTTP server the
jobs download their images from, as a lab's workers would."""

import functools
import http.server
import os
import threading
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer

import yaml

from humpy_lava import devicecfg, dispatch, local, render


class _Quiet(SimpleXMLRPCRequestHandler):
    rpc_paths = ("/RPC2",)

    def log_message(self, *args):
        pass


class _QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class FakeLab:
    def __init__(self, files_dir, server_dir, work_dir):
        self.server_dir, self.work_dir = server_dir, work_dir
        self.jobs = {}  # id -> {state, health, log}
        self.submitted = []  # the definitions, as submitted
        self.rpc = SimpleXMLRPCServer(("127.0.0.1", 0), requestHandler=_Quiet, allow_none=True,
                                      logRequests=False)
        self.rpc.register_function(lambda: "2023.01", "system.version")
        self.rpc.register_function(self.submit, "scheduler.jobs.submit")
        self.rpc.register_function(self.show, "scheduler.jobs.show")
        self.rpc.register_function(self.logs, "scheduler.jobs.logs")
        handler = functools.partial(_QuietFiles, directory=files_dir)
        self.files = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.threads = [threading.Thread(target=s.serve_forever, daemon=True)
                        for s in (self.rpc, self.files)]
        for t in self.threads:
            t.start()

    @property
    def rpc_uri(self):
        return f"http://127.0.0.1:{self.rpc.server_address[1]}/RPC2"

    @property
    def files_url(self):
        return f"http://127.0.0.1:{self.files.server_address[1]}"

    def close(self):
        for s in (self.rpc, self.files):
            s.shutdown()
            s.server_close()
        for job in self.jobs.values():
            if job.get("thread"):
                job["thread"].join(timeout=300)

    # ---- the scheduler ----

    def submit(self, definition):
        from lava_common.schemas import validate
        job = yaml.safe_load(definition)
        validate(job, strict=True)  # what a lab does before it accepts a job
        job_id = 100 + len(self.jobs)
        self.submitted.append(job)
        entry = {"state": "Submitted", "health": "Unknown", "log": None}
        self.jobs[job_id] = entry
        entry["thread"] = threading.Thread(target=self._work, args=(job_id, definition, job),
                                           daemon=True)
        entry["thread"].start()
        return job_id

    def _work(self, job_id, definition, job):
        entry = self.jobs[job_id]
        entry["state"] = "Running"
        device_type = job["device_type"]
        path = os.path.join(self.work_dir, f"job{job_id}.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(definition)
        board = render.load_boards()[device_type]
        extra = None
        if device_type == "qemu-uboot":
            extra = {"humpy_board_name": f"fakelab-{os.getpid()}-{job_id}",
                     "humpy_tftp": dispatch.tftp_dir()}
        device = devicecfg.render_for_job(self.server_dir, board["dictionary"], path,
                                          os.path.join(self.work_dir, f"device{job_id}.yaml"),
                                          extra)
        try:
            status, log, _ = dispatch.run(path, device, self.work_dir, f"lab{job_id}", timeout=600)
        finally:
            if extra:
                local._stop_board(extra["humpy_board_name"])
        entry["log"] = dispatch.read_log(log)
        entry["health"] = "Complete" if status == 0 else "Incomplete"
        entry["state"] = "Finished"

    def show(self, job_id):
        entry = self.jobs[int(job_id)]
        return {"id": int(job_id), "state": entry["state"], "health": entry["health"]}

    def logs(self, job_id, start=0, end=None):
        entry = self.jobs[int(job_id)]
        lines = entry["log"] or []
        lines = lines[start:end]
        return (entry["state"] == "Finished", yaml.safe_dump(lines, default_flow_style=None))
