"""Redis deployments of more than one server for the tests: Debian's redis-server (TLS-capable) on TCP
ports, replicas, and a Sentinel (Debian's redis-sentinel; `make test` installs both)."""
import datetime
import ipaddress
import os
import shutil
import signal
import subprocess

import redis

from .processes import free_port, stop, wait_for


def _executable(name):
    found = shutil.which(name)
    assert found, f"{name} is missing: `make test` installs it (Debian's {name} package)"
    return found


class Server:
    """A redis-server on 127.0.0.1 (`tls`: a (cert, key) pair, then TLS only), optionally a replica of `primary`."""

    def __init__(self, data_dir, primary=None, tls=None, password=None):
        self.port, self.dir = free_port(), str(data_dir)
        os.makedirs(self.dir, exist_ok=True)
        args = ["--bind", "127.0.0.1", "--dir", self.dir, "--save", "", "--appendonly", "no",
                "--repl-diskless-sync-delay", "0"]  # a replica syncs at once (Redis 7 waits 5 s for others)
        if tls:
            cert, key = tls
            args += ["--port", "0", "--tls-port", str(self.port), "--tls-cert-file", cert, "--tls-key-file", key,
                     "--tls-ca-cert-file", cert, "--tls-auth-clients", "no"]
        else:
            args += ["--port", str(self.port)]
        if password:
            args += ["--requirepass", password, "--masterauth", password]
        if primary:
            args += ["--replicaof", "127.0.0.1", str(primary.port)]
        self.proc = subprocess.Popen([_executable("redis-server"), *args], stdout=subprocess.DEVNULL)
        self.tls, self.password = tls, password
        wait_for(self.answers, f"redis-server on port {self.port} answering")

    def client(self, **options):
        if self.tls:
            options.update(ssl=True, ssl_ca_certs=self.tls[0])
        return redis.Redis("127.0.0.1", self.port, password=self.password, **{"socket_timeout": 1, **options})

    def answers(self):
        try:
            return self.client().ping()
        except redis.RedisError:
            return self.proc.poll() is not None and _fail(f"redis-server exited with {self.proc.returncode}")

    def replicas_online(self):
        replication = self.client().info("replication")
        return [replication[k] for k in replication if k.startswith("slave") and k[5:].isdigit()
                and replication[k]["state"] == "online"]

    def kill(self):
        """A crash: SIGKILL, no chance to hand anything over."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self):
        stop(self.proc, 10)


def _fail(message):
    raise AssertionError(message)


class Sentinel:
    """One Sentinel watching `primary` as `service`, quick to fail over (the tests' only Sentinel: quorum 1)."""

    def __init__(self, data_dir, primary, service="gallery", down_after_ms=1000):
        self.port, self.service = free_port(), service
        os.makedirs(str(data_dir), exist_ok=True)
        conf = os.path.join(str(data_dir), "sentinel.conf")
        with open(conf, "w") as f:  # Sentinel rewrites its own configuration as it learns
            f.write(f"port {self.port}\nbind 127.0.0.1\ndir {data_dir}\n"
                    f"sentinel monitor {service} 127.0.0.1 {primary.port} 1\n"
                    f"sentinel down-after-milliseconds {service} {down_after_ms}\n"
                    f"sentinel failover-timeout {service} 3000\n"
                    f"sentinel parallel-syncs {service} 2\n")
        self.proc = subprocess.Popen([_executable("redis-sentinel"), conf], stdout=subprocess.DEVNULL)
        self.client = redis.Redis("127.0.0.1", self.port, socket_timeout=1, decode_responses=True)
        wait_for(lambda: self.primary_port() == primary.port, "Sentinel watching the primary")

    @property
    def url(self):
        return f"redis+sentinel://127.0.0.1:{self.port}/{self.service}"

    def primary_port(self):
        try:
            address = self.client.execute_command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", self.service)
        except redis.RedisError:
            return None
        return int(address[1]) if address else None

    def stop(self):
        stop(self.proc, 10)


def self_signed_certificate(directory):
    """A key and a self-signed certificate for 127.0.0.1 (its own CA); returns (cert path, key path)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = os.path.join(str(directory), "redis.crt"), os.path.join(str(directory), "redis.key")
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                  serialization.NoEncryption()))
    return cert_path, key_path
