# SPDX-License-Identifier: GPL-2.0
# PCI P2PDMA patch series on Linux 7.3: build, boot under QEMU, test.
# See README.md. Everything built lands in build/ (git-ignored).

.PHONY: run check check-long fresh deps tree patches mbox kernel lint bisect bench cocci-tree clean help

help:
	@echo "make run      boot the patched kernel, verified NVMe -> CMB -> NVMe P2P copy"
	@echo "make check    all tests; ends with 'N passed, N failed, N skipped'"
	@echo "make check-long  make check, and the boots it leaves out for time (Xen)"
	@echo "make fresh    the two commands above on a new Debian 12 root (debootstrap)"
	@echo "make tree     (re)create build/linux: Debian 7.3 source (fetched) + git am patches/"
	@echo "make patches  regenerate patches/NN-NAME/ from build/linux (tags sub/NAME)"
	@echo "make mbox     one mbox per submission in build/mbox/, To:/Cc: from get_maintainer.pl"
	@echo "make kernel   build the test kernel (build/obj-test)"
	@echo "make lint     checkpatch --strict, sparse C=2, W=1, kernel-doc, Coccinelle (KTAP)"
	@echo "make bisect   every patch builds with CONFIG_PCI_P2PDMA=y and =n"
	@echo "make bench    exact per-entry costs of sg_set_page/map_sg/unmap_sg, 4 kernels"
	@echo "make cocci-tree  the series' Coccinelle script over the whole tree"

run:
	@./scripts/run.sh

check:
	@./scripts/check.sh

check-long:
	@CHECK_LONG=1 ./scripts/check.sh

fresh:
	@./scripts/fresh.sh

deps:
	@./scripts/deps.sh

tree: deps
	@./scripts/tree.sh

patches:
	@./scripts/patches.sh

mbox: deps
	@./scripts/mbox.sh

kernel: deps
	@./scripts/kernel.sh test

lint: deps
	@./scripts/lint.sh

bisect: deps
	@./scripts/bisect.sh

bench: deps
	@./scripts/bench.sh

cocci-tree: deps
	@./scripts/cocci-tree.sh

clean:
	rm -rf build
