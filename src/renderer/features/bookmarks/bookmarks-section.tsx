import { DropdownMenu } from 'radix-ui';
import { useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { BookmarkView } from '../../../shared/bookmarks-contract';
import { Icon } from '../../components/icon';
import { notify, useAppStore } from '../../stores/app-store';
import { missingAccountText } from '../../stores/bookmarks-slice';
import { formatLocation } from '../browser/parse-location';
import { itemDropHandlers } from '../tabs/item-drop';

/** The drag data type of a bookmark being dragged to another place in the order. */
const BOOKMARK_DRAG_TYPE = 'application/x-s3fm-bookmark';

/**
 * The sidebar's "Bookmarks": each opens its folder on a click (in a new tab from its menu), and
 * its menu renames, moves up or down, and removes it. Bookmarks are dragged to another place in
 * the order; rows dragged from the file list onto one are copied there (moved with Shift). A
 * bookmark whose account was removed says so and only offers to be removed.
 */
export function BookmarksSection() {
  const headingId = useId();
  const bookmarks = useAppStore((s) => s.bookmarks);
  return (
    <section className="bookmarks" aria-labelledby={headingId}>
      <div className="bookmarks__heading">
        <h3 id={headingId}>Bookmarks</h3>
      </div>
      {bookmarks.length === 0 ? (
        <p className="empty-state bookmarks__empty">No bookmarks yet: use “Bookmark this folder” beside the path.</p>
      ) : (
        <ul className="bookmarks__list" aria-labelledby={headingId}>
          {bookmarks.map((bookmark, index) => (
            <BookmarkRow key={bookmark.id} bookmark={bookmark} index={index} count={bookmarks.length} />
          ))}
        </ul>
      )}
    </section>
  );
}

function BookmarkRow({ bookmark, index, count }: { bookmark: BookmarkView; index: number; count: number }) {
  const { openBookmark, moveBookmark, removeBookmark, openTab } = useAppStore(
    useShallow((s) => ({
      openBookmark: s.openBookmark,
      moveBookmark: s.moveBookmark,
      removeBookmark: s.removeBookmark,
      openTab: s.openTab,
    })),
  );
  const [renaming, setRenaming] = useState(false);
  const openRef = useRef<HTMLButtonElement>(null);
  const where = `${bookmark.accountName ?? 'removed account'}: ${formatLocation(bookmark.bucket, bookmark.prefix)}`;
  const location = bookmark.accountMissing
    ? null
    : { accountId: bookmark.accountId, bucket: bookmark.bucket, prefix: bookmark.prefix };
  const items = itemDropHandlers(() => location);

  const open = () => {
    const problem = openBookmark(bookmark.id);
    if (problem) notify(problem, 'error');
  };

  // Dragging a bookmark onto another moves it to that one's place; anything else is the file list's rows.
  const reorder = {
    onDragStart(event: DragEvent<HTMLElement>) {
      event.dataTransfer.setData(BOOKMARK_DRAG_TYPE, bookmark.id);
      event.dataTransfer.effectAllowed = 'move';
    },
    onDragOver(event: DragEvent<HTMLElement>) {
      if (!event.dataTransfer.types.includes(BOOKMARK_DRAG_TYPE)) return items.onDragOver(event);
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      event.currentTarget.setAttribute('data-reorder-target', '');
    },
    onDragLeave(event: DragEvent<HTMLElement>) {
      if (event.currentTarget.contains(event.relatedTarget as Node | null)) return;
      event.currentTarget.removeAttribute('data-reorder-target');
      items.onDragLeave(event);
    },
    onDrop(event: DragEvent<HTMLElement>) {
      event.currentTarget.removeAttribute('data-reorder-target');
      const id = event.dataTransfer.getData(BOOKMARK_DRAG_TYPE);
      if (!id) return items.onDrop(event);
      event.preventDefault();
      if (id !== bookmark.id) void moveBookmark(id, index);
    },
  };

  if (renaming) {
    return (
      <li className="bookmark">
        <RenameForm
          bookmark={bookmark}
          onDone={() => {
            setRenaming(false);
            requestAnimationFrame(() => openRef.current?.focus());
          }}
        />
      </li>
    );
  }
  return (
    <li className="bookmark" draggable {...reorder}>
      <button
        ref={openRef}
        type="button"
        className="bookmark__open"
        title={where}
        aria-description={bookmark.accountMissing ? missingAccountText(bookmark) : where}
        onClick={open}
      >
        <Icon name="bookmark" />
        <span className="bookmark__name">{bookmark.name}</span>
        {bookmark.accountMissing ? <span className="bookmark__missing">account removed</span> : null}
      </button>
      <DropdownMenu.Root modal={false}>
        <DropdownMenu.Trigger asChild>
          <button type="button" className="icon-button" aria-label={`Actions for bookmark ${bookmark.name}`}>
            <Icon name="more" />
          </button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content
            className="menu"
            align="start"
            sideOffset={4}
            collisionPadding={8}
            aria-label={`Actions for bookmark ${bookmark.name}`}
          >
            <DropdownMenu.Item className="menu__item" disabled={bookmark.accountMissing} onSelect={open}>
              <Icon name="folder-open" className="menu__icon" />
              Open
            </DropdownMenu.Item>
            <DropdownMenu.Item
              className="menu__item"
              disabled={location === null}
              onSelect={() => {
                if (location)
                  openTab(location.prefix === '' ? { kind: 'bucket', ...location } : { kind: 'folder', ...location });
              }}
            >
              <Icon name="plus" className="menu__icon" />
              Open in new tab
            </DropdownMenu.Item>
            <DropdownMenu.Item className="menu__item" onSelect={() => setRenaming(true)}>
              <Icon name="pencil" className="menu__icon" />
              Rename…
            </DropdownMenu.Item>
            <DropdownMenu.Separator className="menu__separator" />
            <DropdownMenu.Item
              className="menu__item"
              disabled={index === 0}
              onSelect={() => void moveBookmark(bookmark.id, index - 1)}
            >
              <Icon name="chevron-up" className="menu__icon" />
              Move up
            </DropdownMenu.Item>
            <DropdownMenu.Item
              className="menu__item"
              disabled={index === count - 1}
              onSelect={() => void moveBookmark(bookmark.id, index + 1)}
            >
              <Icon name="chevron-down" className="menu__icon" />
              Move down
            </DropdownMenu.Item>
            <DropdownMenu.Separator className="menu__separator" />
            <DropdownMenu.Item
              className="menu__item menu__item--danger"
              onSelect={() => void removeBookmark(bookmark.id)}
            >
              <Icon name="trash" className="menu__icon" />
              Remove bookmark
            </DropdownMenu.Item>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
    </li>
  );
}

/** Renames a bookmark in place: Enter saves, Escape leaves it as it was; a refusal is said under the field. */
function RenameForm({ bookmark, onDone }: { bookmark: BookmarkView; onDone: () => void }) {
  const errorId = useId();
  const renameBookmark = useAppStore((s) => s.renameBookmark);
  const [name, setName] = useState(bookmark.name);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (busy) return;
    if (name.trim() === bookmark.name) {
      onDone();
      return;
    }
    setBusy(true);
    const result = await renameBookmark(bookmark.id, name);
    setBusy(false);
    if (result.ok) onDone();
    else setError(result.error.message);
  }

  return (
    <form className="bookmark-rename" onSubmit={(event) => void submit(event)}>
      <input
        className="input"
        aria-label={`New name for bookmark ${bookmark.name}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        // The person asked to rename: typing starts here.
        autoFocus
        value={name}
        maxLength={100}
        onChange={(event) => {
          setName(event.target.value);
          setError(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            onDone();
          }
        }}
        onFocus={(event) => event.currentTarget.select()}
      />
      <button type="submit" className="button button--small" aria-busy={busy || undefined}>
        Save
      </button>
      {error ? (
        <p id={errorId} role="alert" className="bookmark-rename__error">
          {error}
        </p>
      ) : null}
    </form>
  );
}
