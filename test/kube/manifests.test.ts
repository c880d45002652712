import t from 'tap';
import { addonManifestUrl, cniManifestUrl } from '../../src/kube/manifests.js';

t.test('CNI manifest URLs', async (t) => {
  t.equal(
    cniManifestUrl({ plugin: 'calico', version: 'v3.27.0' }),
    'https://raw.githubusercontent.com/projectcalico/calico/v3.27.0/manifests/calico.yaml',
  );
  t.equal(
    cniManifestUrl({ plugin: 'flannel', version: 'v0.25.1' }),
    'https://github.com/flannel-io/flannel/releases/download/v0.25.1/kube-flannel.yml',
  );
  t.equal(cniManifestUrl({ plugin: 'none', version: '' }), undefined);
  t.equal(
    cniManifestUrl({ plugin: 'calico', version: 'v3.27.0', manifestUrl: 'http://mirror.lab.example/calico.yaml' }),
    'http://mirror.lab.example/calico.yaml',
    'manifestUrl overrides',
  );
  t.equal(cniManifestUrl({ plugin: 'none', version: '', manifestUrl: 'http://mirror.lab.example/cilium.yaml' }), 'http://mirror.lab.example/cilium.yaml');
  t.throws(() => cniManifestUrl({ plugin: 'calico', version: '' }), /no version/);
  t.equal(
    cniManifestUrl({ plugin: 'flannel', version: 'v1/../x?y' }),
    'https://github.com/flannel-io/flannel/releases/download/v1%2F..%2Fx%3Fy/kube-flannel.yml',
    'a version cannot change the path',
  );
});

t.test('add-on manifest URLs', async (t) => {
  t.equal(
    addonManifestUrl('metricsServer', { enabled: true, version: 'v0.7.1' }),
    'https://github.com/kubernetes-sigs/metrics-server/releases/download/v0.7.1/components.yaml',
  );
  t.equal(
    addonManifestUrl('ingressNginx', { enabled: true, version: 'controller-v1.10.1' }),
    'https://raw.githubusercontent.com/kubernetes/ingress-nginx/controller-v1.10.1/deploy/static/provider/baremetal/deploy.yaml',
  );
  t.equal(
    addonManifestUrl('metricsServer', { enabled: true, version: 'v0.7.1', manifestUrl: 'http://mirror.lab.example/ms.yaml' }),
    'http://mirror.lab.example/ms.yaml',
  );
  t.throws(() => addonManifestUrl('ingressNginx', { enabled: true, version: '' }), /no version/);
});
