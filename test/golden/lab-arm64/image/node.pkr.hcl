# gen-userdata golden image for cluster lab (Kubernetes v1.30.0).
# Generated file. Build it from this directory: packer init . && packer build .
#
# Starts from a cloud image (Ubuntu 24.04 by default; for Debian 12 see the
# descriptions of image_url and image_checksum), boots it once with the NoCloud
# seed from cidata/ (rendered with a password made for this build), runs
# provision.sh (the node-independent part of first boot) and powers off. Nodes
# booted from the result use a profile with image.prebaked: true.

packer {
  # templatefile() and sensitive locals (the build password) need Packer 1.7.
  required_version = ">= 1.7.0"
  required_plugins {
    qemu = {
      version = ">= 1.1.0"
      source  = "github.com/hashicorp/qemu"
    }
  }
}

variable "image_url" {
  type        = string
  description = "Cloud image to start from. Debian 12: https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2"
  default     = "https://cloud-images.ubuntu.com/releases/24.04/release/ubuntu-24.04-server-cloudimg-amd64.img"
}

variable "image_checksum" {
  type        = string
  description = "Checksum of image_url (\"sha256:<hex>\"), or \"file:<URL>\" of a checksum list. Debian 12: file:https://cloud.debian.org/images/cloud/bookworm/latest/SHA512SUMS"
  default     = "file:https://cloud-images.ubuntu.com/releases/24.04/release/SHA256SUMS"
}

variable "arm64_image_url" {
  type        = string
  description = "arm64 cloud image to start from. Debian 12: https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-arm64.qcow2"
  default     = "https://cloud-images.ubuntu.com/releases/24.04/release/ubuntu-24.04-server-cloudimg-arm64.img"
}

variable "arm64_image_checksum" {
  type        = string
  description = "Checksum of arm64_image_url, or \"file:<URL>\" of a checksum list. Debian 12: file:https://cloud.debian.org/images/cloud/bookworm/latest/SHA512SUMS"
  default     = "file:https://cloud-images.ubuntu.com/releases/24.04/release/SHA256SUMS"
}

variable "arm64_accelerator" {
  type        = string
  description = "QEMU accelerator for the arm64 build: tcg on an x86-64 build host (emulated, slow), kvm on an arm64 one."
  default     = "tcg"
}

variable "arm64_cpu" {
  type        = string
  description = "QEMU -cpu for the arm64 build: max with tcg, host with kvm."
  default     = "max"
}

variable "arm64_firmware" {
  type        = string
  description = "UEFI firmware for QEMU's virt machine (Debian/Ubuntu package qemu-efi-aarch64)."
  default     = "/usr/share/qemu-efi-aarch64/QEMU_EFI.fd"
}

variable "accelerator" {
  type        = string
  description = "QEMU accelerator: kvm, or tcg where there is no /dev/kvm (much slower)."
  default     = "kvm"
}

variable "disk_size" {
  type        = string
  description = "Size of the image's disk; the pre-pulled Kubernetes images need a few GB."
  default     = "10G"
}

variable "output_directory" {
  type        = string
  description = "Where Packer writes the finished image."
  default     = "output-lab-node"
}

# Build-time login only: the build seed creates this account with the password
# below, and shutdown_command deletes both the account and the password login.
locals {
  build_user = "gen-userdata-build"
}

# A new random password for every `packer build`: Packer evaluates a local once per
# run, so the seed and ssh_password get the same value. It is never written to this
# directory, and sensitive keeps it out of Packer's output and logs.
local "build_password" {
  expression = uuidv4()
  sensitive  = true
}

source "qemu" "node-arm64" {
  iso_url          = var.arm64_image_url
  iso_checksum     = var.arm64_image_checksum
  disk_image       = true
  format           = "qcow2"
  disk_size        = var.disk_size
  disk_interface   = "virtio"
  net_device       = "virtio-net"
  accelerator      = var.arm64_accelerator
  # An arm64 guest: QEMU's virt machine with UEFI firmware; it has no IDE bus, so
  # the seed CD sits on virtio-scsi.
  qemu_binary      = "qemu-system-aarch64"
  machine_type     = "virt"
  cdrom_interface  = "virtio-scsi"
  memory           = 2048
  cpus             = 2
  headless         = true
  output_directory = "${var.output_directory}-arm64"
  vm_name          = "lab-node-arm64.qcow2"

  # NoCloud seed for the build boot (volume label cidata). The user-data is a
  # template; templatefile() puts this build's password into it.
  cd_content = {
    "meta-data" = file("${path.root}/cidata/meta-data")
    "user-data" = templatefile("${path.root}/cidata/user-data.pkrtpl.hcl", { password = local.build_password })
  }
  cd_label = "cidata"

  # The SSH port Packer forwards to the build VM. The builder's default forward
  # (hostfwd=tcp::<port>-:22) listens on every interface of the build host; bind it
  # to loopback, where Packer connects (user.0 is the netdev of the builder's default
  # network device). VNC (the console) stays on loopback too.
  qemuargs = [
    ["-netdev", "user,id=user.0,hostfwd=tcp:127.0.0.1:{{ .SSHHostPort }}-:22"],
    ["-cpu", var.arm64_cpu],
    ["-bios", var.arm64_firmware],
  ]
  vnc_bind_address = "127.0.0.1"

  communicator     = "ssh"
  ssh_username     = local.build_user
  ssh_password     = local.build_password
  ssh_timeout      = "30m"
  shutdown_command = "sudo sh -c 'rm -f /etc/sudoers.d/90-cloud-init-users /etc/ssh/sshd_config.d/50-cloud-init.conf; userdel --force --remove ${local.build_user}; shutdown -P now'"
}

build {
  sources = ["source.qemu.node-arm64"]

  # The build boot's own cloud-init run may still hold the apt lock; wait for it.
  provisioner "shell" {
    inline = ["cloud-init status --wait >/dev/null || true"]
  }

  provisioner "shell" {
    script          = "${path.root}/provision.sh"
    execute_command = "chmod +x {{ .Path }}; sudo env {{ .Vars }} {{ .Path }}"
  }
}
