import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Linux file systems (statfs f_type) whose reads this machine serves itself, from its disks or
 * its memory: a read there cannot hang on a network. NFS, SMB, FUSE (sshfs and the like), 9p
 * and the rest are left out, as is every other system's numbering.
 */
const LOCAL_LINUX_TYPES = new Set([
  0xef53, // ext2, ext3, ext4
  0x58465342, // xfs
  0x9123683e, // btrfs
  0x01021994, // tmpfs
  0xf2f52010, // f2fs
  0x2fc12fc1, // zfs
  0xca451a4e, // bcachefs
  0x794c7630, // overlayfs (a container's root)
  0x3153464a, // jfs
  0x52654973, // reiserfs
]);

/** How many folders' answers are kept (a folder of folders is not remembered without end). */
const REMEMBERED_FOLDERS = 4096;

/** Whether files live on a file system of this machine's own disks or memory. */
export interface LocalVolumes {
  /** Whether the file at `path` is on one (by its folder's file system; false when unsure). */
  isLocal(path: string): Promise<boolean>;
}

/** What {@link createLocalVolumes} asks the system. */
export interface LocalVolumesDependencies {
  platform: NodeJS.Platform;
  statfs: (path: string) => Promise<{ type: number }>;
}

/**
 * Tells local files from others, asking once a folder: a folder's files are on its file system
 * (a mount point is a folder of its own; a symbolic link is the caller's to look at). Only Linux
 * says which file system a folder is on in a way known here; elsewhere nothing is called local.
 */
export function createLocalVolumes(
  deps: LocalVolumesDependencies = { platform: process.platform, statfs },
): LocalVolumes {
  const byFolder = new Map<string, Promise<boolean>>();
  return {
    isLocal(path) {
      if (deps.platform !== 'linux') return Promise.resolve(false);
      const folder = dirname(path);
      let answer = byFolder.get(folder);
      if (!answer) {
        if (byFolder.size >= REMEMBERED_FOLDERS) byFolder.clear();
        answer = deps.statfs(folder).then(
          (info) => LOCAL_LINUX_TYPES.has(info.type),
          () => false,
        );
        byFolder.set(folder, answer);
      }
      return answer;
    },
  };
}
