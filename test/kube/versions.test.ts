import t from 'tap';
import {
  DEFAULT_IMAGE_REPOSITORY,
  SUPPORTED_MINORS,
  aptReleaseKeyUrl,
  aptRepositoryUrl,
  aptTrack,
  packageVersion,
  packageVersionPattern,
  parseKubeVersion,
  pauseImage,
  requireVersionInfo,
  versionInfo,
} from '../../src/kube/versions.js';

t.test('supported minors run 1.27 through 1.34 without gaps', async (t) => {
  t.same(SUPPORTED_MINORS, ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34']);
});

t.test('kubeadm API version: v1beta3 through 1.30, v1beta4 from 1.31', async (t) => {
  for (const minor of SUPPORTED_MINORS) {
    const n = Number(minor.split('.')[1]);
    t.equal(versionInfo(`${minor}.0`)?.kubeadmApiVersion, n <= 30 ? 'kubeadm.k8s.io/v1beta3' : 'kubeadm.k8s.io/v1beta4', minor);
    t.equal(versionInfo(`${minor}.7`)?.acceptsV1beta3, true, `${minor} still reads v1beta3`);
    t.equal(versionInfo(`${minor}.0`)?.ipvsDeprecated, false, `${minor} ipvs not yet deprecated`);
  }
});

t.test('pause image per minor, from kubeadm PauseVersion', async (t) => {
  const want: Record<string, string> = {
    '1.27': '3.9',
    '1.28': '3.9',
    '1.29': '3.9',
    '1.30': '3.9',
    '1.31': '3.10',
    '1.32': '3.10',
    '1.33': '3.10',
    '1.34': '3.10.1',
  };
  t.same(Object.keys(want), SUPPORTED_MINORS, 'every supported minor is checked');
  for (const [minor, tag] of Object.entries(want)) {
    t.equal(pauseImage(`${minor}.3`), `registry.k8s.io/pause:${tag}`, minor);
    t.equal(versionInfo(`${minor}.0`)?.pauseVersion, tag);
  }
  t.equal(DEFAULT_IMAGE_REPOSITORY, 'registry.k8s.io');
  t.equal(pauseImage('1.30.0', 'mirror.lab.example:5000/k8s'), 'mirror.lab.example:5000/k8s/pause:3.9');
  t.equal(pauseImage('1.31.0', 'mirror.lab.example/'), 'mirror.lab.example/pause:3.10', 'trailing slash ignored');
  t.equal(pauseImage('1.31.0', ''), 'registry.k8s.io/pause:3.10', 'empty repository means the default');
  t.throws(() => pauseImage('1.26.0'), /unsupported/);
});

t.test('unsupported or malformed versions', async (t) => {
  for (const v of ['1.26.15', '1.35.0', '2.30.0', '1.30', 'v1.30.0', '1.30.0-rc.1', '01.30.0', '1.30.0 ', '']) {
    t.equal(versionInfo(v), undefined, JSON.stringify(v));
  }
  t.throws(() => requireVersionInfo('1.35.0'), /unsupported Kubernetes version "1.35.0"/);
  t.equal(requireVersionInfo('1.32.4').minor, '1.32');
  t.same(parseKubeVersion('1.30.12'), { major: 1, minor: 30, patch: 12 });
  t.equal(parseKubeVersion('1.30.x'), undefined);
});

t.test('apt track and package versions (pkgs.k8s.io style)', async (t) => {
  t.equal(aptTrack('1.30.0'), 'v1.30');
  t.equal(aptTrack('1.34.2'), 'v1.34');
  t.equal(packageVersion('1.30.0'), '1.30.0-1.1');
  t.equal(packageVersion('1.31.12'), '1.31.12-1.1');
  for (const minor of SUPPORTED_MINORS) {
    const pv = packageVersion(`${minor}.4`);
    t.match(pv, /^\d+\.\d+\.\d+-\d+\.\d+$/, minor);
    t.notMatch(pv, /-00$/, 'never the retired apt.kubernetes.io suffix');
  }
  t.equal(packageVersionPattern('1.30.0'), '1.30.0-*');
  t.throws(() => aptTrack('1.30'), /malformed/);
  t.throws(() => packageVersion('v1.30.0'), /malformed/);
  t.throws(() => packageVersionPattern('1.30.0-1.1'), /malformed/);
});

t.test('apt repository and key URLs', async (t) => {
  t.equal(aptRepositoryUrl('1.30.0'), 'https://pkgs.k8s.io/core:/stable:/v1.30/deb/');
  t.equal(aptReleaseKeyUrl('1.30.0'), 'https://pkgs.k8s.io/core:/stable:/v1.30/deb/Release.key');
  t.equal(aptRepositoryUrl('1.31.1', 'http://mirror.lab.example/k8s/'), 'http://mirror.lab.example/k8s/v1.31/deb/');
});
