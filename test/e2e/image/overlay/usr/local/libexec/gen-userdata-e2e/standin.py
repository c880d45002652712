#!/usr/bin/python3
"""Stand-in for kubeadm, kubelet and kubectl in the gen-userdata e2e guest.

Installed as /usr/bin/{kubeadm,kubelet,kubectl} (symlinks); dispatches on the
name it was called by. Every call is appended as one JSON line to
/var/log/gen-userdata-e2e/calls.jsonl (argv, start/end time, exit code, copies
of the files passed with --config / -f), so the test can assert what the
bootstrap ran. It emulates what the bootstrap relies on:

- version output (`kubeadm version -o short`, `kubelet --version`,
  `kubectl version --client`): a stand-in installed from the test's .debs reports
  its package's version (/usr/share/gen-userdata-e2e/version/<tool>), the image's
  own the kernel parameter gen_userdata_e2e.k8s_version or
  /etc/gen-userdata-e2e/k8s-version; every recorded call carries it, and the
  operator action that caused it (GEN_USERDATA_E2E_PHASE, as "phase");
- kubeadm preflight checks that real kubeadm fails on (ip_forward,
  bridge-nf-call-iptables, swap, containerd socket, leftover files on join);
- kubeadm config parsing: multi-document YAML, known kinds and API versions for
  the kubeadm minor, map-vs-list extraArgs per API version, token and CA hash
  formats, and no field the kubeadm kinds of that API version do not have
  (kubeadm's strict check; a misspelt or misplaced field fails);
- InitConfiguration/JoinConfiguration `patches.directory`: like real kubeadm,
  init and join fail when the directory does not exist; a
  `kubeletconfiguration[suffix][+merge|+strategic].yaml` patch in it is applied to
  the node's /var/lib/kubelet/config.yaml, which init writes from the given
  KubeletConfiguration (join from a bare one: there is no cluster ConfigMap);
- `kubeadm init` writes admin.conf and friends; `kubeadm join` first does token
  discovery like real kubeadm: it pins the cluster CA it is given
  (gen_userdata_e2e.cluster_ca=<base64 DER>, standing in for the cluster-info
  ConfigMap the API server would serve) by SHA-256 over its DER
  SubjectPublicKeyInfo, whatever the key type (RSA, ECDSA), and fails when no
  caCertHashes entry matches; then it fails the first
  N attempts (gen_userdata_e2e.join_failures=N|always), leaving behind the
  files a real failed join leaves, so a retry without `kubeadm reset -f` fails
  preflight; `kubeadm reset -f` cleans what real reset cleans; init and join
  (re)start the kubelet service, like their kubelet-start phase, and init prints
  the join command ("<value withheld>" for the token under --skip-token-print);
- `kubeadm upgrade plan [vX.Y.Z]`, `upgrade apply vX.Y.Z -y` and `upgrade node`:
  kubeadm's version policy against the cluster's version (kept in
  /var/lib/gen-userdata-e2e/cluster-version, as kubeadm-config would) and its own
  (none above its own, one minor at a time, none below its minor) and, stricter,
  apply takes only its own package's version; apply without -y asks and refuses;
  it rewrites the control plane's static pod manifests with the new image tags;
- `kubectl drain|cordon|uncordon NODE`: drain cordons, then refuses DaemonSet pods
  without --ignore-daemonsets and emptyDir pods without --delete-emptydir-data;
  the node object shows spec.unschedulable and the version of the kubelet that
  runs (written by the kubelet service when it starts), so an upgraded package
  shows only after a restart; `get nodes|pods [-o wide]` and `describe node` give
  short tables;
- `kubectl apply -f FILE` copies and parses the manifest and keeps every object in
  a small cluster store (/var/lib/gen-userdata-e2e/cluster.json, which `kubeadm init`
  seeds with CoreDNS and kube-proxy); URLs fail (no network);
- the cluster verifier's reads, answered from that store and from state the test
  controls: `get nodes|KIND NAME -o jsonpath=…` (a real JSONPath subset: range/end,
  fields, [*], [N], [?(@.f=="v")], quoted literals), `rollout status KIND/NAME
  --timeout=Ns` (NotFound for objects never applied; objects listed in
  gen_userdata_e2e.stuck=KIND/NAME,… time out after the timeout, like kubectl),
  `top nodes` (once metrics-server was applied), `get events`, `delete namespace`.
  Registered, Ready nodes come from /etc/gen-userdata-e2e/ready-nodes, else from
  gen_userdata_e2e.ready_nodes=NAME,…, on the stand-in's Kubernetes version;
- `crictl pull IMAGE` (golden-image pre-pull) succeeds when containerd's socket
  exists; `crictl ps`/`images` list nothing (no pods run), `logs` finds nothing. crictl is not in the image: the install-path test packages this file
  as /usr/bin/{kubeadm,kubelet,kubectl,crictl} in stand-in .debs.
"""
import base64
import hashlib
import json
import os
import re
import shutil
import sys
import time

LOG_DIR = "/var/log/gen-userdata-e2e"
STATE_DIR = "/var/lib/gen-userdata-e2e"
COPY_DIR = os.path.join(STATE_DIR, "copies")
CALLS = os.path.join(LOG_DIR, "calls.jsonl")
K8S_DIR = "/etc/kubernetes"
PKI_DIR = os.path.join(K8S_DIR, "pki")

START = time.time()
RECORD = {"tool": os.path.basename(sys.argv[0]), "argv": sys.argv[1:], "start": START, "copies": {}, "notes": []}
# The probe's operator actions (operator.sh) tag the calls they cause, so the test can
# tell an upgrade script's first run from its second.
if os.environ.get("GEN_USERDATA_E2E_PHASE"):
    RECORD["phase"] = os.environ["GEN_USERDATA_E2E_PHASE"]


def cmdline_param(name, default=None):
    try:
        with open("/proc/cmdline") as f:
            for word in f.read().split():
                if word == "gen_userdata_e2e." + name:
                    return ""
                if word.startswith("gen_userdata_e2e." + name + "="):
                    return word.split("=", 1)[1]
    except OSError:
        pass
    return default


PACKAGE_VERSION_DIR = "/usr/share/gen-userdata-e2e/version"


def k8s_version(tool=None):
    """The version this tool reports. A stand-in installed from one of the test's
    .debs reports its package's version (written into the package next to it,
    test/helpers/vm-apt-repo.ts), as a real binary reports the release it was built
    from; the image's own stand-ins follow the kernel parameter or /etc."""
    packaged = read(os.path.join(PACKAGE_VERSION_DIR, tool or RECORD["tool"]))
    if packaged:
        return packaged.lstrip("v")
    v = cmdline_param("k8s_version")
    if v:
        return v.lstrip("v")
    try:
        with open("/etc/gen-userdata-e2e/k8s-version") as f:
            return f.read().strip().lstrip("v")
    except OSError:
        return "1.30.0"


def minor():
    return int(k8s_version().split(".")[1])


def record_call():
    """Appends this call's RECORD (with the version the tool reports) to the call log
    (best effort: a full disk must not change the exit code)."""
    RECORD.setdefault("version", k8s_version())
    try:
        os.makedirs(LOG_DIR, exist_ok=True)
        with open(CALLS, "a") as f:
            f.write(json.dumps(RECORD) + "\n")
    except OSError:
        pass


def finish(rc, out="", err=""):
    if out:
        sys.stdout.write(out)
    if err:
        sys.stderr.write(err)
    RECORD["rc"] = rc
    RECORD["end"] = time.time()
    RECORD["stdout"] = out[-2000:]
    RECORD["stderr"] = err[-2000:]
    record_call()
    sys.exit(rc)


def copy_input(flag, path):
    """Keeps a copy of a file handed to us; returns its content."""
    os.makedirs(COPY_DIR, exist_ok=True)
    n = len(os.listdir(COPY_DIR)) + 1
    if path == "-":
        data = sys.stdin.read()
        name = "stdin"
    else:
        with open(path) as f:
            data = f.read()
        name = os.path.basename(path)
    dest = os.path.join(COPY_DIR, "%03d-%s-%s" % (n, RECORD["tool"], name))
    with open(dest, "w") as f:
        f.write(data)
    RECORD["copies"].setdefault(flag, []).append({"path": path, "copy": dest})
    return data


def option_values(args, *names):
    """Values of --opt VALUE / --opt=VALUE / -f VALUE, in order."""
    vals = []
    i = 0
    while i < len(args):
        a = args[i]
        for n in names:
            if a == n and i + 1 < len(args):
                vals.append(args[i + 1])
                i += 1
                break
            if a.startswith(n + "="):
                vals.append(a.split("=", 1)[1])
                break
        i += 1
    return vals


def positional(args, flags_with_values):
    out = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in flags_with_values:
            i += 2
            continue
        if not a.startswith("-"):
            out.append(a)
        i += 1
    return out


# --------------------------------------------------------------------- kubeadm

KUBEADM_FLAGS_WITH_VALUES = {"--config", "-o", "--output", "--ignore-preflight-errors", "--token", "--discovery-token-ca-cert-hash",
                             "--cri-socket", "--node-name", "--kubeconfig", "--skip-phases", "--v", "-v", "--cert-dir",
                             "--apiserver-advertise-address", "--control-plane-endpoint", "--pod-network-cidr",
                             "--certificate-key", "--ttl", "--description", "--groups", "--usages", "--print-join-command"}


def kubeadm_api_versions():
    # kubeadm 1.22-1.30 knows only v1beta3; v1beta4 exists from 1.31.
    return {"kubeadm.k8s.io/v1beta3"} if minor() <= 30 else {"kubeadm.k8s.io/v1beta3", "kubeadm.k8s.io/v1beta4"}


TOKEN_RE = re.compile(r"^[a-z0-9]{6}\.[a-z0-9]{16}$")
HASH_RE = re.compile(r"^sha256:[0-9a-f]{64}$")


def check_args(where, value, api):
    """extraArgs: map in v1beta3, list of {name, value} in v1beta4 (real kubeadm fails to decode otherwise)."""
    if value is None:
        return []
    if api == "kubeadm.k8s.io/v1beta3":
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            return ["%s: v1beta3 expects a map of strings, got %r" % (where, value)]
    else:
        if not isinstance(value, list) or not all(isinstance(e, dict) and set(e) == {"name", "value"} for e in value):
            return ["%s: v1beta4 expects a list of {name, value}, got %r" % (where, value)]
    return []


# Known fields of the kubeadm config types per API version (cmd/kubeadm/app/apis/kubeadm/
# {v1beta3,v1beta4}/types.go), for kubeadm's strict check of its own kinds. Real kubeadm
# reports each unknown field ('strict decoding error: unknown field "apiServer.extraArg"',
# case-sensitive) and then ignores the field, so on a real node a misspelt setting
# silently does nothing; the stand-in fails on it instead, so the VM test catches it.
# LEAF: any value; MAP: free keys; [schema]: list of objects; {field: schema}: object.
LEAF = None
MAP = "map"


def _kubeadm_schemas(v4):
    args = [{"name": LEAF, "value": LEAF}] if v4 else MAP
    envs = {"extraEnvs": [{"name": LEAF, "value": LEAF, "valueFrom": MAP}]} if v4 else {}
    volume = [{"name": LEAF, "hostPath": LEAF, "mountPath": LEAF, "readOnly": LEAF, "pathType": LEAF}]
    component = dict({"extraArgs": args, "extraVolumes": volume}, **envs)
    endpoint = {"advertiseAddress": LEAF, "bindPort": LEAF}
    taint = [{"key": LEAF, "value": LEAF, "effect": LEAF, "timeAdded": LEAF}]
    registration = {"name": LEAF, "criSocket": LEAF, "taints": taint, "kubeletExtraArgs": args,
                    "ignorePreflightErrors": LEAF, "imagePullPolicy": LEAF}
    if v4:
        registration["imagePullSerial"] = LEAF
    timeouts = {"controlPlaneComponentHealthCheck": LEAF, "kubeletHealthCheck": LEAF, "kubernetesAPICall": LEAF,
                "etcdAPICall": LEAF, "tlsBootstrap": LEAF, "discovery": LEAF, "upgradeManifests": LEAF}
    token = [{"token": LEAF, "description": LEAF, "ttl": LEAF, "expires": LEAF, "usages": LEAF, "groups": LEAF}]
    common = {"apiVersion": LEAF, "kind": LEAF}
    init = dict(common, bootstrapTokens=token, nodeRegistration=registration, localAPIEndpoint=endpoint,
                certificateKey=LEAF, skipPhases=LEAF, patches={"directory": LEAF})
    local_etcd = dict({"imageRepository": LEAF, "imageTag": LEAF, "dataDir": LEAF, "extraArgs": args,
                       "serverCertSANs": LEAF, "peerCertSANs": LEAF}, **envs)
    api_server = dict(component, certSANs=LEAF)
    cluster = dict(common, etcd={"local": local_etcd, "external": {"endpoints": LEAF, "caFile": LEAF, "certFile": LEAF, "keyFile": LEAF}},
                   networking={"serviceSubnet": LEAF, "podSubnet": LEAF, "dnsDomain": LEAF},
                   kubernetesVersion=LEAF, controlPlaneEndpoint=LEAF, apiServer=api_server,
                   controllerManager=component, scheduler=component, dns={"imageRepository": LEAF, "imageTag": LEAF},
                   certificatesDir=LEAF, imageRepository=LEAF, featureGates=MAP, clusterName=LEAF)
    discovery = {"bootstrapToken": {"token": LEAF, "apiServerEndpoint": LEAF, "caCertHashes": LEAF, "unsafeSkipCAVerification": LEAF},
                 "file": {"kubeConfigPath": LEAF}, "tlsBootstrapToken": LEAF}
    join = dict(common, nodeRegistration=registration, caCertPath=LEAF, discovery=discovery,
                controlPlane={"localAPIEndpoint": endpoint, "certificateKey": LEAF}, skipPhases=LEAF,
                patches={"directory": LEAF})
    if v4:
        init.update(dryRun=LEAF, timeouts=timeouts)
        join.update(dryRun=LEAF, timeouts=timeouts)
        cluster.update(dns={"imageRepository": LEAF, "imageTag": LEAF, "disabled": LEAF}, proxy={"disabled": LEAF},
                       encryptionAlgorithm=LEAF, certificateValidityPeriod=LEAF, caCertificateValidityPeriod=LEAF)
    else:
        api_server["timeoutForControlPlane"] = LEAF
        discovery["timeout"] = LEAF
    return {"InitConfiguration": init, "ClusterConfiguration": cluster, "JoinConfiguration": join}


KUBEADM_SCHEMAS = {"kubeadm.k8s.io/v1beta3": _kubeadm_schemas(False), "kubeadm.k8s.io/v1beta4": _kubeadm_schemas(True)}


def unknown_fields(value, schema, path=""):
    """Dotted paths of the fields in `value` that `schema` does not know, like kubeadm's strict decoder."""
    if schema is LEAF or schema == MAP or value is None:
        return []
    if isinstance(schema, list):
        if not isinstance(value, list):
            return []
        return [f for i, item in enumerate(value) for f in unknown_fields(item, schema[0], "%s[%d]" % (path, i))]
    if not isinstance(value, dict):
        return []
    out = []
    for key, item in value.items():
        where = "%s.%s" % (path, key) if path else str(key)
        if key not in schema:
            out.append(where)
        else:
            out += unknown_fields(item, schema[key], where)
    return out


def strict_errors(doc):
    """kubeadm's error for each unknown field of a kubeadm kind; [] for other kinds."""
    schema = KUBEADM_SCHEMAS.get(doc.get("apiVersion"), {}).get(doc.get("kind"))
    if schema is None:
        return []
    return ['%s: strict decoding error: unknown field "%s"' % (doc["kind"], f) for f in unknown_fields(doc, schema)]


def validate_kubeadm_config(text, mode):
    """Returns (docs, errors). mode: init | join."""
    import yaml  # python3-yaml comes with cloud-init

    errors = []
    try:
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as e:
        return [], ["config is not valid YAML: %s" % e]
    known = {
        "InitConfiguration": kubeadm_api_versions(),
        "ClusterConfiguration": kubeadm_api_versions(),
        "JoinConfiguration": kubeadm_api_versions(),
        "KubeletConfiguration": {"kubelet.config.k8s.io/v1beta1"},
        "KubeProxyConfiguration": {"kubeproxy.config.k8s.io/v1alpha1"},
    }
    kinds = []
    kubeadm_apis = set()
    for d in docs:
        if not isinstance(d, dict) or "kind" not in d or "apiVersion" not in d:
            errors.append("document without apiVersion/kind: %r" % (d,))
            continue
        kind, api = d["kind"], d["apiVersion"]
        kinds.append(kind)
        if kind not in known:
            errors.append('no kind "%s" is registered' % kind)
        elif api not in known[kind]:
            errors.append('no kind "%s" is registered for version "%s" in kubeadm v%s' % (kind, api, k8s_version()))
        if api.startswith("kubeadm.k8s.io/"):
            kubeadm_apis.add(api)
        errors += strict_errors(d)
    if len(kubeadm_apis) > 1:
        errors.append("mixed kubeadm API versions %s" % sorted(kubeadm_apis))
    if len(set(kinds)) != len(kinds):
        errors.append("duplicate kinds %s" % kinds)
    by_kind = {d["kind"]: d for d in docs if isinstance(d, dict) and "kind" in d}
    if mode == "init":
        if "InitConfiguration" not in by_kind and "ClusterConfiguration" not in by_kind:
            errors.append("init: no InitConfiguration or ClusterConfiguration")
        if "JoinConfiguration" in by_kind:
            errors.append("init: JoinConfiguration given to kubeadm init")
    else:
        if "JoinConfiguration" not in by_kind:
            errors.append("join: no JoinConfiguration")
        for k in ("InitConfiguration", "ClusterConfiguration"):
            if k in by_kind:
                errors.append("join: %s given to kubeadm join" % k)

    for kind in ("InitConfiguration", "JoinConfiguration"):
        d = by_kind.get(kind)
        if not d:
            continue
        nr = d.get("nodeRegistration") or {}
        errors += check_args(kind + ".nodeRegistration.kubeletExtraArgs", nr.get("kubeletExtraArgs"), d["apiVersion"])
    c = by_kind.get("ClusterConfiguration")
    if c:
        for comp in ("apiServer", "controllerManager", "scheduler"):
            errors += check_args("ClusterConfiguration.%s.extraArgs" % comp, (c.get(comp) or {}).get("extraArgs"), c["apiVersion"])
        errors += check_args("ClusterConfiguration.etcd.local.extraArgs", ((c.get("etcd") or {}).get("local") or {}).get("extraArgs"), c["apiVersion"])
        kv = c.get("kubernetesVersion")
        if kv is not None and str(kv).lstrip("v").split(".")[:2] != k8s_version().split(".")[:2]:
            errors.append("kubernetesVersion %s does not match kubeadm v%s" % (kv, k8s_version()))
        if c["apiVersion"] == "kubeadm.k8s.io/v1beta4" and "timeoutForControlPlane" in (c.get("apiServer") or {}):
            errors.append("v1beta4: apiServer.timeoutForControlPlane was removed (use timeouts.controlPlaneComponentHealthCheck)")
    i = by_kind.get("InitConfiguration")
    if i:
        for t in i.get("bootstrapTokens") or []:
            if not TOKEN_RE.match(str(t.get("token", ""))):
                errors.append("InitConfiguration.bootstrapTokens: invalid token %r" % t.get("token"))
    j = by_kind.get("JoinConfiguration")
    if j:
        disc = j.get("discovery") or {}
        bt = disc.get("bootstrapToken")
        if bt:
            if not TOKEN_RE.match(str(bt.get("token", ""))):
                errors.append("JoinConfiguration.discovery.bootstrapToken.token invalid: %r" % bt.get("token"))
            if not bt.get("apiServerEndpoint"):
                errors.append("JoinConfiguration.discovery.bootstrapToken.apiServerEndpoint missing")
            hashes = bt.get("caCertHashes") or []
            if not hashes and not bt.get("unsafeSkipCAVerification"):
                errors.append("JoinConfiguration: caCertHashes empty and unsafeSkipCAVerification not set")
            for h in hashes:
                if not HASH_RE.match(str(h)):
                    errors.append("JoinConfiguration: invalid caCertHash %r" % h)
        elif not disc.get("file"):
            errors.append("JoinConfiguration.discovery: neither bootstrapToken nor file")
        if j["apiVersion"] == "kubeadm.k8s.io/v1beta4" and "timeout" in disc:
            errors.append("v1beta4: discovery.timeout was removed (use timeouts.discovery)")
    return docs, errors


def der_element(data, pos):
    """(tag, start of content, end of content) of the DER element at pos."""
    tag, first = data[pos], data[pos + 1]
    pos += 2
    if first < 0x80:
        length = first
    else:
        n = first & 0x7F
        length = int.from_bytes(data[pos:pos + n], "big")
        pos += n
    return tag, pos, pos + length


def spki_of_certificate(der):
    """The DER SubjectPublicKeyInfo of an X.509 certificate, for any key type (what Go's
    RawSubjectPublicKeyInfo holds and kubeadm's pubkeypin hashes)."""
    _, cert, _ = der_element(der, 0)  # Certificate ::= SEQUENCE
    _, pos, _ = der_element(der, cert)  # tbsCertificate ::= SEQUENCE
    tag, _, end = der_element(der, pos)
    if tag == 0xA0:  # [0] version, optional
        pos = end
    # serialNumber, signature, issuer, validity, subject, then subjectPublicKeyInfo.
    for _ in range(5):
        pos = der_element(der, pos)[2]
    tag, _, end = der_element(der, pos)
    if tag != 0x30:
        raise ValueError("no SubjectPublicKeyInfo")
    return der[pos:end]


def discovery(join_config):
    """kubeadm's token discovery pin check against the cluster CA from the kernel
    command line. Returns an error message, or None when a pin matches (or no CA
    was given, which is noted)."""
    ca = cmdline_param("cluster_ca")
    if not ca:
        RECORD["notes"].append("no cluster_ca given: discovery pin not checked")
        return None
    spki = spki_of_certificate(base64.b64decode(ca))
    pin = "sha256:" + hashlib.sha256(spki).hexdigest()
    RECORD["discovery_pin"] = pin
    bt = ((join_config or {}).get("discovery") or {}).get("bootstrapToken") or {}
    if bt.get("unsafeSkipCAVerification") or pin in (bt.get("caCertHashes") or []):
        return None
    return ("error execution phase preflight: couldn't validate the identity of the API Server: cluster CA found in "
            "cluster-info ConfigMap is invalid: none of the public keys \"%s\" are pinned\n" % pin)


def read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def preflight(mode, ignore):
    """The preflight checks real kubeadm treats as errors, as far as this guest can tell."""
    errs = []
    if read("/proc/sys/net/ipv4/ip_forward") != "1":
        errs.append(("FileContent--proc-sys-net-ipv4-ip_forward", "/proc/sys/net/ipv4/ip_forward contents are not set to 1"))
    if read("/proc/sys/net/bridge/bridge-nf-call-iptables") != "1":
        errs.append(("FileContent--proc-sys-net-bridge-bridge-nf-call-iptables",
                     "/proc/sys/net/bridge/bridge-nf-call-iptables does not exist or is not set to 1"))
    swaps = (read("/proc/swaps") or "").splitlines()[1:]
    if swaps:
        errs.append(("Swap", "running with swap on is not supported. Please disable swap"))
    if not os.path.exists("/run/containerd/containerd.sock"):
        errs.append(("CRI", "container runtime is not running: /run/containerd/containerd.sock does not exist"))
    if mode == "join":
        for p in (os.path.join(K8S_DIR, "kubelet.conf"), os.path.join(K8S_DIR, "bootstrap-kubelet.conf"), os.path.join(PKI_DIR, "ca.crt")):
            if os.path.exists(p):
                errs.append(("FileAvailable-" + p.replace("/", "-"), "%s already exists" % p))
    else:
        for p in ("kube-apiserver.yaml", "kube-controller-manager.yaml", "kube-scheduler.yaml", "etcd.yaml"):
            mp = os.path.join(K8S_DIR, "manifests", p)
            if os.path.exists(mp):
                errs.append(("FileAvailable-" + mp.replace("/", "-"), "%s already exists" % mp))
    ign = set(x.strip().lower() for v in ignore for x in v.split(","))
    return [e for e in errs if "all" not in ign and e[0].lower() not in ign]


PATCH_FILE_RE = re.compile(r"^(kube-apiserver|kube-controller-manager|kube-scheduler|etcd|kubeletconfiguration)"
                           r"[^+.]*(\+(strategic|merge|json))?\.(yaml|yml|json)$")


def kubelet_config(by_kind, mode):
    """Returns (the node's kubelet config with patches.directory's kubeletconfiguration
    patches applied, error), as kubeadm's kubelet-start phase writes it."""
    import yaml

    conf = dict(by_kind.get("KubeletConfiguration") or {}) if mode == "init" else {}
    conf.setdefault("apiVersion", "kubelet.config.k8s.io/v1beta1")
    conf.setdefault("kind", "KubeletConfiguration")
    own = by_kind.get("InitConfiguration" if mode == "init" else "JoinConfiguration") or {}
    directory = (own.get("patches") or {}).get("directory")
    if not directory:
        return conf, None
    try:
        names = sorted(os.listdir(directory))
    except OSError as e:
        return conf, "could not list patch files for path %r: %s" % (directory, e)
    applied = []
    for name in names:
        m = PATCH_FILE_RE.match(name)
        if not m or m.group(1) != "kubeletconfiguration":
            continue
        if m.group(3) == "json":
            return conf, "gen-userdata-e2e stand-in: JSON patches are not emulated (%s)" % name
        try:
            with open(os.path.join(directory, name)) as f:
                patch = yaml.safe_load(f)
        except (OSError, yaml.YAMLError) as e:
            return conf, "could not parse patch %s: %s" % (name, e)
        if not isinstance(patch, dict):
            return conf, "patch %s is not a mapping" % name
        conf.update(patch)
        applied.append(name)
    RECORD["kubeletPatches"] = applied
    return conf, None


def write(path, content, mode=0o600):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(content)
    os.chmod(path, mode)


FAKE_KUBECONFIG = """apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: ZmFrZQ==
    server: https://%s
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: %s
  name: %s@kubernetes
current-context: %s@kubernetes
users:
- name: %s
  user:
    token: gen-userdata-e2e-fake
"""


def fake_kubeconfig(endpoint, user):
    return FAKE_KUBECONFIG % (endpoint, user, user, user, user)


CONTROL_PLANE_PODS = ("kube-apiserver", "kube-controller-manager", "kube-scheduler")
CLUSTER_VERSION = os.path.join(STATE_DIR, "cluster-version")
STATIC_POD = """# gen-userdata-e2e stand-in
apiVersion: v1
kind: Pod
metadata:
  name: %(name)s
  namespace: kube-system
spec:
  containers:
  - name: %(name)s
    image: %(image)s
"""


def write_control_plane(repository, version):
    """The static pod manifests of a control plane at `version` (etcd keeps its own
    version), and the version the cluster runs (what real kubeadm keeps in the
    kubeadm-config ConfigMap)."""
    for name in CONTROL_PLANE_PODS:
        write(os.path.join(K8S_DIR, "manifests", name + ".yaml"),
              STATIC_POD % {"name": name, "image": "%s/%s:v%s" % (repository, name, version)})
    write(os.path.join(K8S_DIR, "manifests", "etcd.yaml"), STATIC_POD % {"name": "etcd", "image": "%s/etcd:3.5.15-0" % repository})
    write(CLUSTER_VERSION, "%s\n" % version, 0o644)


def cluster_version():
    return (read(CLUSTER_VERSION) or k8s_version()).lstrip("v")


def image_repository():
    m = re.search(r"image: (\S+)/kube-apiserver:", read(os.path.join(K8S_DIR, "manifests", "kube-apiserver.yaml")) or "")
    return m.group(1) if m else "registry.k8s.io"


def join_hint(endpoint, init_config, skip_token_print):
    """The join command real kubeadm init prints at its end, with the token, or
    "<value withheld>" for it under --skip-token-print (which the bootstrap passes)."""
    tokens = [t.get("token") for t in init_config.get("bootstrapTokens") or [] if t.get("token")]
    if not tokens:
        return ""
    if skip_token_print:
        tokens = ["<value withheld>"]
    pin = ""
    try:
        pem = read(os.path.join(PKI_DIR, "ca.crt")) or ""
        der = base64.b64decode("".join(l for l in pem.splitlines() if not l.startswith("-----")))
        pin = " \\\n\t--discovery-token-ca-cert-hash sha256:" + hashlib.sha256(spki_of_certificate(der)).hexdigest()
    except (ValueError, IndexError):
        pass
    return ("\nThen you can join any number of worker nodes by running the following on each as root:\n\n"
            "kubeadm join %s --token %s%s\n" % (endpoint, tokens[0], pin))


def parse_version(text):
    m = re.match(r"^v?(\d+)\.(\d+)\.(\d+)$", text or "")
    return tuple(int(x) for x in m.groups()) if m else None


def upgrade_version_errors(target, current, own):
    """kubeadm's upgrade version policy (EnforceVersionPolicies) for a target version,
    the cluster's current version and kubeadm's own: the same errors real kubeadm
    gives. One thing is stricter than real kubeadm: the target must be exactly the
    kubeadm package's own version (the generator always asks for it), so a script
    that asks for anything else fails here."""
    new, cur, kubeadm_v = parse_version(target), parse_version(current), parse_version(own)
    if new is None:
        return ["the version argument is invalid: %r is not a semantic version" % target]
    errs = []
    if new[:2] > (cur[0], cur[1] + 1):
        errs.append("Specified version to upgrade to %r is too high; kubeadm can upgrade only 1 minor version at a time" % target)
    if new[:2] < (cur[0], cur[1] - 1):
        errs.append("Specified version to downgrade to %r is too low; kubeadm can downgrade only 1 minor version at a time" % target)
    if new > kubeadm_v:
        errs.append("Specified version to upgrade to %r is higher than the kubeadm version \"v%s\". Upgrade kubeadm first using "
                    "the tool you used to install kubeadm" % (target, own))
    elif new[:2] < kubeadm_v[:2]:
        errs.append("Kubeadm version \"v%s\" can only be used to upgrade to Kubernetes version \"v%d.%d\"" % (own, kubeadm_v[0], kubeadm_v[1]))
    elif new != kubeadm_v:
        errs.append("gen-userdata-e2e stand-in: upgrade to %r with kubeadm v%s: the stand-in expects the kubeadm package's own version" % (target, own))
    return errs


def kubeadm_upgrade(args, sub):
    """kubeadm upgrade plan [VERSION] | apply VERSION [-y] | node."""
    what = sub[1] if len(sub) > 1 else ""
    own = k8s_version()
    if what == "node":
        if not os.path.exists(os.path.join(K8S_DIR, "kubelet.conf")):
            finish(1, err="error execution phase preflight: unable to read the kubelet config: %s/kubelet.conf: no such file or directory\n" % K8S_DIR)
        RECORD["upgraded_to"] = cluster_version()
        finish(0, "[upgrade] The configuration for this node was successfully updated!\n"
                  "[upgrade] Now you should go ahead and upgrade the kubelet package using your package manager.\n")
    if what not in ("plan", "apply"):
        finish(1, err="gen-userdata-e2e stand-in: kubeadm upgrade %s is not emulated\n" % what)
    if not os.path.exists(os.path.join(K8S_DIR, "admin.conf")):
        finish(1, err="[upgrade/config] FATAL: failed to load admin kubeconfig: open %s/admin.conf: no such file or directory\n" % K8S_DIR)
    current = cluster_version()
    target = sub[2] if len(sub) > 2 else ("v" + own if what == "plan" else None)
    if target is None:
        finish(1, err="[upgrade/version] FATAL: missing version argument: specify the version to upgrade to\n")
    RECORD["cluster_version"] = current
    errs = upgrade_version_errors(target, current, own)
    if errs:
        finish(1, err="[upgrade/version] FATAL: the version argument is invalid due to these errors:\n\n%s\n"
                      "Can be bypassed if you pass the --force flag\n" % "".join("\t- %s\n" % e for e in errs))
    if what == "plan":
        rows = "".join("%-24s %-10s %s\n" % (c, "v" + current, target) for c in CONTROL_PLANE_PODS + ("kube-proxy",))
        finish(0, "[upgrade/versions] Cluster version: v%s\n[upgrade/versions] kubeadm version: v%s\n\n"
                  "COMPONENT                CURRENT    TARGET\n%s\nYou can now apply the upgrade by executing the following command:\n\n"
                  "\tkubeadm upgrade apply %s\n" % (current, own, rows, target))
    if not any(a in ("-y", "--yes", "-f", "--force") or a.startswith("--yes=") for a in args):
        finish(1, "[upgrade/confirm] Are you sure you want to proceed? [y/N]: ",
               "won't proceed; the user didn't answer (Y|y) in order to continue\n")
    write_control_plane(image_repository(), target.lstrip("v"))
    RECORD["upgraded_to"] = target
    finish(0, "[upgrade/successful] SUCCESS! Your cluster was upgraded to \"%s\". Enjoy!\n\n"
              "[upgrade/kubelet] Now that your control plane is upgraded, please proceed with upgrading your kubelets "
              "if you haven't already done so.\n" % target)


def start_kubelet():
    """kubeadm's kubelet-start phase: (re)starts the kubelet service once its configuration is written."""
    import subprocess
    try:
        rc = subprocess.run(["systemctl", "restart", "--no-block", "kubelet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        RECORD["notes"].append("kubelet-start: systemctl restart kubelet -> %d" % rc)
    except OSError as e:
        RECORD["notes"].append("kubelet-start: %s" % e)


def kubeadm(args):
    sub = positional(args, KUBEADM_FLAGS_WITH_VALUES)
    cmd = sub[0] if sub else ""
    v = k8s_version()
    if cmd == "version":
        outfmt = (option_values(args, "-o", "--output") or [""])[0]
        if outfmt == "short":
            finish(0, "v%s\n" % v)
        finish(0, 'kubeadm version: &version.Info{Major:"1", Minor:"%s", GitVersion:"v%s", GitTreeState:"clean", '
                  'GoVersion:"go1.22.2", Compiler:"gc", Platform:"linux/amd64"}\n' % (v.split(".")[1], v))
    if cmd in ("init", "join"):
        if len(sub) > 1 and sub[1] == "phase":
            finish(0, "[gen-userdata-e2e] kubeadm %s phase %s: ok\n" % (cmd, " ".join(sub[2:])))
        configs = option_values(args, "--config")
        docs, errors = [], []
        for c in configs:
            try:
                text = copy_input("--config", c)
            except OSError as e:
                finish(1, err="unable to read config from %r: %s\n" % (c, e))
            d, e = validate_kubeadm_config(text, cmd)
            docs += d
            errors += e
        if not configs:
            RECORD["notes"].append("no --config given")
        if errors:
            finish(1, err="".join("error: %s\n" % e for e in errors) + "To see the stack trace of this error execute with --v=5 or higher\n")
        pf = preflight(cmd, option_values(args, "--ignore-preflight-errors"))
        if pf:
            msg = "error execution phase preflight: [preflight] Some fatal errors occurred:\n"
            msg += "".join("\t[ERROR %s]: %s\n" % e for e in pf)
            msg += "[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`\n"
            finish(1, err=msg)
        by_kind = {d.get("kind"): d for d in docs if isinstance(d, dict)}
        kubelet_conf, patch_error = kubelet_config(by_kind, cmd)
        if patch_error:
            finish(1, err="error execution phase kubelet-start: %s\n" % patch_error)
        import yaml
        write("/var/lib/kubelet/config.yaml", yaml.safe_dump(kubelet_conf, default_flow_style=False), 0o644)
        start_kubelet()
        if cmd == "init":
            cc = by_kind.get("ClusterConfiguration") or {}
            ic = by_kind.get("InitConfiguration") or {}
            endpoint = cc.get("controlPlaneEndpoint") or "%s:%s" % (
                (ic.get("localAPIEndpoint") or {}).get("advertiseAddress", "127.0.0.1"),
                (ic.get("localAPIEndpoint") or {}).get("bindPort", 6443))
            for name, user in (("admin.conf", "kubernetes-admin"), ("super-admin.conf", "kubernetes-super-admin"),
                               ("kubelet.conf", "system:node"), ("controller-manager.conf", "system:kube-controller-manager"),
                               ("scheduler.conf", "system:kube-scheduler")):
                write(os.path.join(K8S_DIR, name), fake_kubeconfig(endpoint, user))
            write_control_plane(cc.get("imageRepository") or "registry.k8s.io", v)
            # The add-ons kubeadm init installs itself.
            store = load_store()
            for obj in ({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "coredns", "namespace": "kube-system"}},
                        {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "kube-proxy", "namespace": "kube-system"}}):
                store_put(store, obj)
            save_store(store)
            finish(0, "Your Kubernetes control-plane has initialized successfully!\n" + join_hint(endpoint, ic, "--skip-token-print" in args))
        # join
        os.makedirs(STATE_DIR, exist_ok=True)
        counter = os.path.join(STATE_DIR, "join-attempts")
        attempt = int(read(counter) or "0") + 1
        write(counter, "%d\n" % attempt, 0o644)
        RECORD["attempt"] = attempt
        pin_error = discovery(by_kind.get("JoinConfiguration"))
        if pin_error:
            finish(1, err=pin_error)
        failures = cmdline_param("join_failures", "0")
        fail = failures == "always" or attempt <= int(failures or "0")
        endpoint = ((by_kind.get("JoinConfiguration") or {}).get("discovery") or {}).get("bootstrapToken", {}).get("apiServerEndpoint", "?")
        time.sleep(float(cmdline_param("join_delay", "1")))
        if fail:
            # Like a real join that got past discovery and timed out in kubelet-start:
            # it leaves the bootstrap kubeconfig and ca.crt behind.
            write(os.path.join(K8S_DIR, "bootstrap-kubelet.conf"), fake_kubeconfig(endpoint, "tls-bootstrap-token-user"))
            write(os.path.join(PKI_DIR, "ca.crt"), "-----BEGIN CERTIFICATE-----\nZmFrZQ==\n-----END CERTIFICATE-----\n", 0o644)
            finish(1, err="error execution phase kubelet-start: error uploading crisocket: timed out waiting for the condition "
                          "(gen-userdata-e2e stand-in: simulated failure of attempt %d, join_failures=%s)\n" % (attempt, failures))
        write(os.path.join(K8S_DIR, "kubelet.conf"), fake_kubeconfig(endpoint, "system:node"))
        write(os.path.join(PKI_DIR, "ca.crt"), "-----BEGIN CERTIFICATE-----\nZmFrZQ==\n-----END CERTIFICATE-----\n", 0o644)
        finish(0, "This node has joined the cluster (gen-userdata-e2e stand-in, attempt %d)\n" % attempt)
    if cmd == "upgrade":
        kubeadm_upgrade(args, sub)
    if cmd == "reset":
        if "-f" not in args and "--force" not in args:
            finish(1, err="[reset] Are you sure you want to proceed? [y/N]: error: no input (stand-in requires -f)\n")
        removed = []
        for name in ("admin.conf", "super-admin.conf", "kubelet.conf", "bootstrap-kubelet.conf", "controller-manager.conf", "scheduler.conf"):
            p = os.path.join(K8S_DIR, name)
            if os.path.exists(p):
                os.remove(p)
                removed.append(p)
        # Real reset empties the manifests and certificates directories and /var/lib/kubelet.
        for d in (os.path.join(K8S_DIR, "manifests"), PKI_DIR, "/var/lib/kubelet", "/var/lib/etcd"):
            if os.path.isdir(d):
                for e in os.listdir(d):
                    p = os.path.join(d, e)
                    shutil.rmtree(p) if os.path.isdir(p) and not os.path.islink(p) else os.remove(p)
                    removed.append(p)
        RECORD["removed"] = removed
        finish(0, "[reset] Deleted contents of: %s\n" % ", ".join(removed))
    finish(0, "[gen-userdata-e2e] kubeadm %s: recorded\n" % " ".join(sub))


# --------------------------------------------------------------------- kubelet

def kubelet(args):
    if "--version" in args or "--version=true" in args:
        finish(0, "Kubernetes v%s\n" % k8s_version())
    # Running as the service: record and stay up, like a kubelet waiting for its config.
    # The node object reports the version of the kubelet that runs, not of the one
    # installed: after a package upgrade, only a restart changes it.
    write(KUBELET_RUNNING, "%s\n" % k8s_version(), 0o644)
    RECORD["rc"] = None
    RECORD["end"] = time.time()
    record_call()
    os.execvp("sleep", ["sleep", "infinity"])


# --------------------------------------------------------------------- kubectl

KUBECTL_FLAGS_WITH_VALUES = {"-f", "--filename", "--kubeconfig", "-n", "--namespace", "-o", "--output", "--for", "--timeout",
                             "-l", "--selector", "--type", "-p", "--patch", "--context", "-k", "--kustomize", "--field-manager",
                             "--sort-by"}
STORE = os.path.join(STATE_DIR, "cluster.json")
KUBELET_RUNNING = os.path.join(STATE_DIR, "kubelet-running-version")
CORDONED = os.path.join(STATE_DIR, "cordoned-nodes")
# Where kubectl's short kind names and resource names map to a kind.
KINDS = {"deployment": "Deployment", "deployments": "Deployment", "deploy": "Deployment", "daemonset": "DaemonSet",
         "daemonsets": "DaemonSet", "ds": "DaemonSet", "service": "Service", "services": "Service", "svc": "Service",
         "hpa": "HorizontalPodAutoscaler", "horizontalpodautoscaler": "HorizontalPodAutoscaler", "configmap": "ConfigMap",
         "configmaps": "ConfigMap", "cm": "ConfigMap", "namespace": "Namespace", "namespaces": "Namespace", "ns": "Namespace",
         "ingress": "Ingress", "ingresses": "Ingress"}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "APIService",
                  "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "PriorityClass", "StorageClass", "IngressClass"}


def load_store():
    try:
        with open(STORE) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def save_store(store):
    os.makedirs(STATE_DIR, exist_ok=True)
    with open(STORE, "w") as f:
        json.dump(store, f, sort_keys=True)


def store_key(kind, namespace, name):
    return "%s/%s/%s" % (kind, "" if kind in CLUSTER_SCOPED else (namespace or "default"), name)


def store_put(store, obj):
    """Adds obj; returns True when it existed (kubectl then says "configured")."""
    meta = obj.get("metadata") or {}
    key = store_key(obj.get("kind"), meta.get("namespace"), meta.get("name"))
    existed = key in store
    store[key] = obj
    return existed


def ready_nodes():
    text = read("/etc/gen-userdata-e2e/ready-nodes")
    if text is None:
        text = cmdline_param("ready_nodes", "") or ""
    return [n for n in re.split(r"[,\s]+", text) if n]


def cordoned():
    return set((read(CORDONED) or "").split())


def set_cordoned(name, on):
    names = cordoned() | {name} if on else cordoned() - {name}
    write(CORDONED, "".join("%s\n" % n for n in sorted(names)), 0o644)


def node_object(name):
    labels = {"kubernetes.io/hostname": name}
    # kubeadm labels control planes; the init node knows the roles from the profile's node list.
    for line in (read("/etc/gen-userdata/nodes") or "").splitlines():
        if line.split()[:2] == [name, "control-plane"]:
            labels["node-role.kubernetes.io/control-plane"] = ""
    kubelet_version = (read(KUBELET_RUNNING) or k8s_version("kubelet")).lstrip("v")
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": labels},
            "spec": {"unschedulable": True} if name in cordoned() else {},
            "status": {"nodeInfo": {"kubeletVersion": "v%s" % kubelet_version},
                       "conditions": [{"type": "MemoryPressure", "status": "False"}, {"type": "Ready", "status": "True"}]}}


def with_status(obj):
    """The object as the API server would return it: an HPA reports CPU once metrics-server runs."""
    obj = json.loads(json.dumps(obj))
    if obj.get("kind") == "HorizontalPodAutoscaler" and store_key("Deployment", "kube-system", "metrics-server") in load_store():
        obj["status"] = {"currentReplicas": 1, "desiredReplicas": 1,
                         "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 2, "averageValue": "1m"}}}]}
    return obj


# ---- JSONPath, the subset kubectl's -o jsonpath templates use here

def jp_tokens(template):
    """Splits a kubectl JSONPath template into ("text", s) and ("expr", s) parts."""
    out, i = [], 0
    while i < len(template):
        j = template.find("{", i)
        if j < 0:
            out.append(("text", template[i:]))
            break
        if j > i:
            out.append(("text", template[i:j]))
        depth, k = 0, j
        while k < len(template):
            if template[k] == "{":
                depth += 1
            elif template[k] == "}":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        out.append(("expr", template[j + 1:k].strip()))
        i = k + 1
    return out


def jp_select(values, path):
    """Applies a path such as .items[*].status.conditions[?(@.type=="Ready")].status to each value."""
    for m in re.finditer(r'\.([A-Za-z0-9_-]+)|\[\*\]|\[(\d+)\]|\[\?\(@\.([A-Za-z0-9_.-]+)=="([^"]*)"\)\]', path):
        nxt = []
        for v in values:
            if m.group(1) is not None:
                if isinstance(v, dict) and m.group(1) in v:
                    nxt.append(v[m.group(1)])
            elif m.group(0) == "[*]":
                if isinstance(v, list):
                    nxt.extend(v)
                elif isinstance(v, dict):
                    nxt.extend(v.values())
            elif m.group(2) is not None:
                if isinstance(v, list) and int(m.group(2)) < len(v):
                    nxt.append(v[int(m.group(2))])
            else:
                field, want = m.group(3), m.group(4)
                for e in v if isinstance(v, list) else []:
                    cur = e
                    for part in field.split("."):
                        cur = cur.get(part) if isinstance(cur, dict) else None
                    if cur is not None and str(cur) == want:
                        nxt.append(e)
        values = nxt
    return values


def jp_text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        return json.dumps(v)
    return str(v)


def jsonpath(template, obj):
    tokens = jp_tokens(template)
    out = []

    def run(parts, current):
        i = 0
        while i < len(parts):
            kind, val = parts[i]
            if kind == "text":
                out.append(val)
            elif val.startswith("range "):
                depth, j = 1, i + 1
                while j < len(parts):
                    if parts[j][0] == "expr" and parts[j][1].startswith("range "):
                        depth += 1
                    elif parts[j] == ("expr", "end"):
                        depth -= 1
                        if depth == 0:
                            break
                    j += 1
                for item in jp_select([current], val[6:].strip()):
                    run(parts[i + 1:j], item)
                i = j
            elif val.startswith('"') and val.endswith('"'):
                out.append(json.loads(val))
            else:
                path = val[1:] if val.startswith("@") else val
                out.append(" ".join(jp_text(x) for x in jp_select([current], path)))
            i += 1

    run(tokens, obj)
    return "".join(out)


def kubectl_get(args, store):
    sub = positional(args, KUBECTL_FLAGS_WITH_VALUES)
    ns = (option_values(args, "-n", "--namespace") or ["default"])[0]
    fmt = (option_values(args, "-o", "--output") or [""])[0]
    what = sub[1] if len(sub) > 1 else ""
    if any(a.startswith("--raw") for a in args):
        finish(0, "ok")
    if what == "events":
        finish(0, err="No resources found in %s namespace.\n" % ns)
    name = sub[2] if len(sub) > 2 else ""
    if what in ("node", "nodes", "no"):
        items = [node_object(n) for n in ready_nodes()]
    else:
        kind = KINDS.get(what.split(".")[0])
        items = [with_status(o) for k, o in sorted(store.items()) if kind and k.startswith("%s/%s/" % (kind, "" if kind in CLUSTER_SCOPED else ns))]
    for sel in option_values(args, "-l", "--selector"):
        key, _, want = sel.partition("=")
        items = [o for o in items if key in (o.get("metadata") or {}).get("labels", {}) and (not want or o["metadata"]["labels"][key] == want)]
    if name:
        items = [o for o in items if (o.get("metadata") or {}).get("name") == name]
        if not items:
            if "--ignore-not-found" in args:
                finish(0, "")
            finish(1, err='Error from server (NotFound): %s "%s" not found\n' % (what, name))
        obj = items[0]
    else:
        obj = {"apiVersion": "v1", "kind": "List", "items": items}
    if fmt == "name":
        finish(0, "".join("%s/%s\n" % (what.rstrip("s") or "object", o["metadata"]["name"]) for o in (items if not name else [obj])))
    if fmt.startswith("jsonpath="):
        finish(0, jsonpath(fmt[len("jsonpath="):], obj))
    if fmt == "json":
        finish(0, json.dumps(obj, indent=4) + "\n")
    if fmt in ("", "wide") and what in ("node", "nodes", "no"):
        rows = ["%-14s %-28s %-14s %-5s %s" % ("NAME", "STATUS", "ROLES", "AGE", "VERSION")]
        for o in items if not name else [obj]:
            role = "control-plane" if "node-role.kubernetes.io/control-plane" in o["metadata"]["labels"] else "<none>"
            status = "Ready,SchedulingDisabled" if o["spec"].get("unschedulable") else "Ready"
            rows.append("%-14s %-28s %-14s %-5s %s" % (o["metadata"]["name"], status, role, "5m", o["status"]["nodeInfo"]["kubeletVersion"]))
        finish(0, "\n".join(rows) + "\n")
    if fmt in ("", "wide") and what in ("pod", "pods", "po"):
        finish(0, err="No resources found\n")
    finish(1, err="gen-userdata-e2e stand-in: kubectl get supports -o jsonpath=… and -o json only\n")


def kubectl_rollout(args, store):
    sub = positional(args, KUBECTL_FLAGS_WITH_VALUES)
    ns = (option_values(args, "-n", "--namespace") or ["default"])[0]
    target = sub[2] if len(sub) > 2 else ""
    what, _, name = target.partition("/")
    kind = KINDS.get(what.split(".")[0])
    if sub[1:2] != ["status"] or kind not in ("Deployment", "DaemonSet"):
        finish(1, err="gen-userdata-e2e stand-in: only rollout status deployment|daemonset/NAME\n")
    if store_key(kind, ns, name) not in store:
        finish(1, err='Error from server (NotFound): %ss.apps "%s" not found\n' % (kind.lower(), name))
    stuck = [x for x in (cmdline_param("stuck", "") or "").split(",") if x]
    if "%s/%s" % (what, name) in stuck:
        timeout = (option_values(args, "--timeout") or ["0s"])[0]
        m = re.match(r"^(\d+)s$", timeout)
        time.sleep(int(m.group(1)) if m else 0)
        finish(1, "Waiting for %s \"%s\" rollout to finish: 0 of 1 updated pods are available...\n" % (
            "daemon set" if kind == "DaemonSet" else "deployment", name), "error: timed out waiting for the condition\n")
    finish(0, '%s "%s" successfully rolled out\n' % ("daemon set" if kind == "DaemonSet" else "deployment", name))


def pods_with_local_storage(store):
    """Workloads whose pods use emptyDir volumes (drain refuses them without --delete-emptydir-data)."""
    out = []
    for key, obj in sorted(store.items()):
        if key.split("/")[0] in ("Deployment", "StatefulSet", "ReplicaSet"):
            volumes = (((obj.get("spec") or {}).get("template") or {}).get("spec") or {}).get("volumes") or []
            if any(isinstance(v, dict) and "emptyDir" in v for v in volumes):
                out.append("%s/%s" % ((obj.get("metadata") or {}).get("namespace", "default"), obj["metadata"]["name"]))
    return out


def kubectl_node_state(args, store):
    """cordon, uncordon and drain NODE, with the checks real drain makes first."""
    sub = positional(args, KUBECTL_FLAGS_WITH_VALUES)
    cmd, name = sub[0], (sub[1] if len(sub) > 1 else "")
    if name not in ready_nodes():
        finish(1, err='Error from server (NotFound): nodes "%s" not found\n' % name)
    if cmd == "uncordon":
        was = name in cordoned()
        set_cordoned(name, False)
        finish(0, "node/%s %s\n" % (name, "uncordoned" if was else "already uncordoned"))
    out = "node/%s %s\n" % (name, "already cordoned" if name in cordoned() else "cordoned")
    set_cordoned(name, True)
    if cmd == "cordon":
        finish(0, out)
    # drain: the pods on the node are those of the DaemonSets and workloads in the store.
    errs = []
    daemonsets = ["%s/%s" % (k.split("/")[1], k.split("/")[2]) for k in sorted(store) if k.startswith("DaemonSet/")]
    if daemonsets and "--ignore-daemonsets" not in args and "--ignore-daemonsets=true" not in args:
        errs.append("cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): %s" % ", ".join(daemonsets))
    local = pods_with_local_storage(store)
    if local and "--delete-emptydir-data" not in args and "--delete-emptydir-data=true" not in args:
        errs.append("cannot delete Pods with local storage (use --delete-emptydir-data to override): %s" % ", ".join(local))
    if errs:
        finish(1, out, 'error: unable to drain node "%s" due to error: %s, continuing command...\n' % (name, ", ".join(errs)))
    finish(0, out + "node/%s drained\n" % name)


def kubectl(args):
    sub = positional(args, KUBECTL_FLAGS_WITH_VALUES)
    cmd = sub[0] if sub else ""
    v = k8s_version()
    if cmd == "version":
        if any(a in ("--client", "--client=true") for a in args):
            finish(0, "Client Version: v%s\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3\n" % v)
        finish(1, "Client Version: v%s\n" % v, "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n")
    kubeconfig = (option_values(args, "--kubeconfig") or [os.environ.get("KUBECONFIG", "")])[0]
    if not kubeconfig:
        kubeconfig = os.path.expanduser("~/.kube/config")
    if not os.path.exists(kubeconfig):
        finish(1, err="The connection to the server localhost:8080 was refused - did you specify the right host or port?\n")
    RECORD["kubeconfig"] = kubeconfig
    store = load_store()
    if cmd in ("apply", "create", "replace"):
        files = option_values(args, "-f", "--filename")
        if not files:
            finish(1, err="error: must specify one of -f and -k\n")
        out = []
        import yaml
        for f in files:
            if re.match(r"^https?://", f):
                finish(1, err='error: unable to read URL "%s", server reported : dial tcp: lookup failed: no network in the e2e guest\n' % f)
            try:
                text = copy_input("-f", f)
            except OSError as e:
                finish(1, err="error: the path %r does not exist: %s\n" % (f, e))
            try:
                for d in yaml.safe_load_all(text):
                    if isinstance(d, dict):
                        group = str(d.get("apiVersion", "")).rpartition("/")[0]
                        existed = store_put(store, d)
                        out.append("%s%s/%s %s\n" % (str(d.get("kind", "?")).lower(), "." + group if group else "",
                                                      (d.get("metadata") or {}).get("name", "?"), "configured" if existed else "created"))
            except yaml.YAMLError as e:
                finish(1, err="error: error parsing %s: %s\n" % (f, e))
        save_store(store)
        finish(0, "".join(out))
    if cmd == "get":
        kubectl_get(args, store)
    if cmd == "rollout":
        kubectl_rollout(args, store)
    if cmd in ("drain", "cordon", "uncordon"):
        kubectl_node_state(args, store)
    if cmd == "describe" and sub[1:2] in (["node"], ["nodes"], ["no"]) and len(sub) > 2:
        if sub[2] not in ready_nodes():
            finish(1, err='Error from server (NotFound): nodes "%s" not found\n' % sub[2])
        n = node_object(sub[2])
        finish(0, "Name:               %s\nRoles:              %s\nUnschedulable:      %s\nConditions:\n  Ready   True\n"
                  "System Info:\n  Kubelet Version:            %s\n" % (
                      sub[2], "control-plane" if "node-role.kubernetes.io/control-plane" in n["metadata"]["labels"] else "<none>",
                      "true" if n["spec"].get("unschedulable") else "false", n["status"]["nodeInfo"]["kubeletVersion"]))
    if cmd == "top" and sub[1:2] == ["nodes"]:
        if store_key("Deployment", "kube-system", "metrics-server") not in store:
            finish(1, err="error: Metrics API not available\n")
        rows = "".join("%-14s %-10s %-4s %-15s %s\n" % (n, "50m", "2%", "600Mi", "30%") for n in ready_nodes())
        finish(0, "NAME           CPU(cores) CPU% MEMORY(bytes)   MEMORY%\n" + rows)
    if cmd == "delete" and sub[1:2] in (["namespace"], ["ns"]) and len(sub) > 2:
        name = sub[2]
        for key in [k for k in store if k.split("/")[1] == name or k == store_key("Namespace", "", name)]:
            del store[key]
        save_store(store)
        finish(0, 'namespace "%s" deleted\n' % name)
    finish(0, "")


# --------------------------------------------------------------------- crictl

CRICTL_FLAGS_WITH_VALUES = {"-r", "--runtime-endpoint", "-i", "--image-endpoint", "-c", "--config", "-t", "--timeout", "--state", "--tail"}


def crictl(args):
    sub = positional(args, CRICTL_FLAGS_WITH_VALUES)
    cmd = sub[0] if sub else ""
    if cmd == "version" or "--version" in args:
        finish(0, "crictl version v%s\n" % k8s_version())
    if cmd == "pull":
        if len(sub) < 2:
            finish(1, err="crictl pull: image name required\n")
        if not os.path.exists("/run/containerd/containerd.sock"):
            finish(1, err="validate service connection: dial unix /run/containerd/containerd.sock: connect: no such file or directory\n")
        finish(0, "Image is up to date for %s (gen-userdata-e2e stand-in)\n" % sub[1])
    # No containers run under the stand-in kubelet: empty listings, like crictl on a node without pods.
    if cmd == "ps":
        quiet = "-q" in args or "--quiet" in args
        finish(0, "" if quiet else "CONTAINER           IMAGE               CREATED             STATE               NAME                ATTEMPT             POD ID              POD\n")
    if cmd == "images":
        finish(0, "IMAGE                                     TAG                 IMAGE ID            SIZE\n")
    if cmd == "logs":
        finish(1, err="E0000 gen-userdata-e2e: ContainerStatus from runtime service failed: container %r not found\n" % (sub[1] if len(sub) > 1 else ""))
    finish(0, "[gen-userdata-e2e] crictl %s: recorded\n" % " ".join(sub))


def main():
    tool = RECORD["tool"]
    args = sys.argv[1:]
    if tool == "kubeadm":
        kubeadm(args)
    elif tool == "kubelet":
        kubelet(args)
    elif tool == "kubectl":
        kubectl(args)
    elif tool == "crictl":
        crictl(args)
    finish(127, err="gen-userdata-e2e stand-in: unknown tool %s\n" % tool)


if __name__ == "__main__":
    main()
