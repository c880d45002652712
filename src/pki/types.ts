/** A certificate with its private key, both PEM. */
export interface CertAndKey {
  cert: string;
  key: string;
}

/** One key of the API server's EncryptionConfiguration (secretbox). */
export interface EncryptionKey {
  /** "key1", "key2", …: unique in the bundle, the highest is the newest. */
  name: string;
  /** Base64 of 32 random bytes. */
  secret: string;
}

/** A kubeadm bootstrap token, "<id>.<secret>". */
export interface BootstrapToken {
  /** 6 chars [a-z0-9]. */
  id: string;
  /** 16 chars [a-z0-9]. */
  secret: string;
  /** Go duration or "0"; copied from the profile when the token was made. */
  ttl: string;
  /** ISO 8601 UTC; when the token was created (expiry = createdAt + ttl). */
  createdAt: string;
}

/**
 * Everything secret about one cluster. Lives in out/<cluster>/secrets.yaml (0600),
 * created once and reused: a new CA means a new cluster.
 */
export interface ClusterSecrets {
  /** Cluster name the bundle belongs to; a mismatch with the profile is an error. */
  clusterName: string;
  /** ISO 8601 UTC creation time; the only timestamp that may appear in generated output. */
  createdAt: string;
  /** kubernetes CA: /etc/kubernetes/pki/ca.{crt,key}. */
  ca: CertAndKey;
  /** /etc/kubernetes/pki/front-proxy-ca.{crt,key}. */
  frontProxyCa: CertAndKey;
  /** /etc/kubernetes/pki/etcd/ca.{crt,key}. */
  etcdCa: CertAndKey;
  /** Service-account signing pair: /etc/kubernetes/pki/sa.{pub,key} (PEM public key, PEM private key). */
  serviceAccount: { publicKey: string; privateKey: string };
  bootstrapToken: BootstrapToken;
  /**
   * Client certificate for out/<cluster>/admin.conf (CN kubernetes-admin, O kubeadm:cluster-admins),
   * signed by `ca`. Stored here so admin.conf is byte-identical on every run.
   */
  admin: CertAndKey;
  /**
   * Keys for Secrets encryption at rest, newest (the one that encrypts) first. Absent
   * in bundles made before encryption at rest; the CLI adds one, and says so.
   */
  encryptionKeys?: EncryptionKey[];
}
