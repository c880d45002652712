import t from 'tap';
import { didYouMean } from '../../src/profile/did-you-mean.js';

t.test('suggests close matches only', async (t) => {
  const keys = ['podSubnet', 'serviceSubnet', 'dnsDomain', 'kubeProxy', 'cni'];
  t.equal(didYouMean('podSubnett', keys), 'podSubnet');
  t.equal(didYouMean('pod_subnet', keys), 'podSubnet');
  t.equal(didYouMean('servicesubnet', keys), 'serviceSubnet');
  t.equal(didYouMean('kubeproxy', keys), 'kubeProxy');
  t.equal(didYouMean('cn', keys), 'cni');
  t.equal(didYouMean('firewall', keys), undefined);
  t.equal(didYouMean('calicoo', ['calico', 'flannel', 'none']), 'calico');
  t.equal(didYouMean('cilium', ['calico', 'flannel', 'none']), undefined);
});
