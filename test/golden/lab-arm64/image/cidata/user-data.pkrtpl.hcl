#cloud-config
# gen-userdata: image build of cluster lab. Only the temporary build login;
# the build deletes it, and the password login it enables, before powering off.
# Packer template: node.pkr.hcl fills in a random password for each build.
users:
  - name: gen-userdata-build
    shell: /bin/bash
    sudo: ALL=(ALL) NOPASSWD:ALL
    lock_passwd: false
    plain_text_passwd: "${password}"
ssh_pwauth: true
