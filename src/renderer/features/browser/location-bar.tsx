import { DropdownMenu } from 'radix-ui';
import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Icon } from '../../components/icon';
import { IconButton } from '../../components/icon-button';
import { notify, useAppStore } from '../../stores/app-store';
import { SEARCH_SCAN_LIMIT, type SearchMode } from '../../stores/listing-slice';
import { bookmarkAt, bookmarkNamed } from '../../stores/bookmarks-slice';
import { sameLocation, type BrowserLocation } from '../../stores/selection-slice';
import { formatLocation, isParseError, parseLocationInput } from './parse-location';

/**
 * The bar above the list: Back, Forward and Up, the path field (type or paste
 * `s3://bucket/folder/`, `bucket/folder/`, an AWS console address or an S3 URL, then Enter), and the
 * filter field with its "Search bucket" button (in a narrow list, a "Search bucket" menu).
 */
export function LocationBar() {
  const { location, canGoBack, canGoForward, goBack, goForward, goUp } = useAppStore(
    useShallow((s) => ({
      location: s.listing.location,
      canGoBack: s.history.back.length > 0,
      canGoForward: s.history.forward.length > 0,
      goBack: s.goBack,
      goForward: s.goForward,
      goUp: s.goUp,
    })),
  );
  const canGoUp = location !== null && location.prefix !== '';
  return (
    <div className="location-bar">
      <div className="location-bar__nav">
        <IconButton
          label="Back"
          icon="arrow-left"
          aria-keyshortcuts="Alt+ArrowLeft"
          aria-disabled={!canGoBack || undefined}
          onClick={goBack}
        />
        <IconButton
          label="Forward"
          icon="arrow-right"
          aria-keyshortcuts="Alt+ArrowRight"
          aria-disabled={!canGoForward || undefined}
          onClick={goForward}
        />
        <IconButton
          label="Up"
          icon="arrow-up"
          aria-keyshortcuts="Alt+ArrowUp Backspace"
          aria-disabled={!canGoUp || undefined}
          onClick={goUp}
        />
      </div>
      {/* Keyed by location: the field starts over with the new path whenever the folder changes. */}
      <PathField key={location ? formatLocation(location.bucket, location.prefix) : ''} location={location} />
      <BookmarkControls location={location} />
      <FilterField />
    </div>
  );
}

function PathField({ location }: { location: BrowserLocation | null }) {
  const errorId = useId();
  const shown = location ? formatLocation(location.bucket, location.prefix) : '';
  const [value, setValue] = useState(shown);
  const [error, setError] = useState<string | null>(null);
  const { openLink, openBookmark } = useAppStore(
    useShallow((s) => ({ openLink: s.openLink, openBookmark: s.openBookmark })),
  );

  function submit(event: FormEvent): void {
    event.preventDefault();
    // A bookmark's name first: "Raw photos" is no bucket name anyway (bucket names have no capitals or spaces).
    const bookmark = bookmarkNamed(useAppStore.getState().bookmarks, value);
    if (bookmark) {
      const problem = openBookmark(bookmark.id);
      setError(problem);
      if (!problem && sameLocation(location, bookmark)) setValue(shown);
      return;
    }
    const parsed = parseLocationInput(value);
    if (!isParseError(parsed) && parsed.path === '' && location?.bucket === parsed.bucket && location.prefix === '') {
      setValue(shown);
      setError(null);
      return;
    }
    // The account that has the bucket opens it, or the person is asked which (openLink).
    setError(openLink(value));
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>): void {
    if (event.key === 'Escape') {
      setValue(shown);
      setError(null);
    }
  }

  return (
    <form className="path-field" onSubmit={submit}>
      <input
        className="input path-field__input"
        aria-label="Path"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        autoComplete="off"
        placeholder="s3://bucket/folder/, a bookmark's name or an AWS console link"
        value={value}
        onChange={(event) => {
          setValue(event.target.value);
          setError(null);
        }}
        onKeyDown={onKeyDown}
        onFocus={(event) => event.currentTarget.select()}
      />
      {error ? (
        <p id={errorId} role="alert" className="path-field__error">
          {error}
        </p>
      ) : null}
    </form>
  );
}

/** "Bookmark this folder", and the "Bookmarks" menu that opens any of them. */
function BookmarkControls({ location }: { location: BrowserLocation | null }) {
  const { bookmarks, addBookmark, openBookmark } = useAppStore(
    useShallow((s) => ({ bookmarks: s.bookmarks, addBookmark: s.addBookmark, openBookmark: s.openBookmark })),
  );
  const existing = bookmarkAt(bookmarks, location);
  const open = (id: string) => {
    const problem = openBookmark(id);
    if (problem) notify(problem, 'error');
  };
  return (
    <div className="location-bar__bookmarks">
      <IconButton
        label="Bookmark this folder"
        icon="bookmark"
        disabledReason={
          location === null ? 'Open a folder to bookmark it.' : existing ? `Bookmarked as “${existing.name}”.` : null
        }
        onClick={() => {
          if (!location || existing) return;
          void addBookmark(location).then((result) => {
            if (!result.ok) notify(result.error.message, 'error');
          });
        }}
      />
      <DropdownMenu.Root modal={false}>
        <DropdownMenu.Trigger asChild>
          <button type="button" className="icon-button" aria-label="Bookmarks" title="Bookmarks">
            <Icon name="chevron-down" />
          </button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content
            className="menu"
            align="start"
            sideOffset={4}
            collisionPadding={8}
            aria-label="Bookmarks"
          >
            {bookmarks.length === 0 ? (
              <DropdownMenu.Label className="menu__note">No bookmarks yet.</DropdownMenu.Label>
            ) : (
              bookmarks.map((bookmark) => (
                <DropdownMenu.Item
                  key={bookmark.id}
                  className="menu__item"
                  disabled={bookmark.accountMissing}
                  onSelect={() => open(bookmark.id)}
                >
                  <Icon name="bookmark" className="menu__icon" />
                  {bookmark.name}
                  {bookmark.accountMissing ? ' (account removed)' : ''}
                </DropdownMenu.Item>
              ))
            )}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
    </div>
  );
}

function FilterField() {
  const { filterText, setFilterText, searchBucket, hasLocation, searching } = useAppStore(
    useShallow((s) => ({
      filterText: s.filterText,
      setFilterText: s.setFilterText,
      searchBucket: s.searchBucket,
      hasLocation: s.listing.location !== null,
      searching: s.listing.search !== null,
    })),
  );
  const [searchText, setSearchText] = useState('');
  const [mode, setMode] = useState<SearchMode>('prefix');
  const search = (how: SearchMode = mode) => {
    if (!hasLocation) return;
    setMode(how);
    setSearchText(filterText);
    searchBucket(filterText, how);
  };
  return (
    <div className="filter-field">
      <Icon name="search" className="filter-field__icon" />
      <input
        type="search"
        className="input filter-field__input"
        aria-label="Filter this folder"
        placeholder={searching ? `Filter results for “${searchText}”` : 'Filter this folder'}
        spellCheck={false}
        autoComplete="off"
        value={filterText}
        disabled={!hasLocation}
        onChange={(event) => setFilterText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            search();
          } else if (event.key === 'Escape' && filterText !== '') {
            event.preventDefault();
            setFilterText('');
          }
        }}
      />
      <select
        className="input filter-field__mode"
        aria-label="Search keys that"
        value={mode}
        disabled={!hasLocation}
        onChange={(event) => setMode(event.target.value === 'contains' ? 'contains' : 'prefix')}
      >
        <option value="prefix">start with</option>
        <option value="contains">contain</option>
      </select>
      <button
        type="button"
        className="button button--small filter-field__search"
        aria-disabled={!hasLocation || undefined}
        aria-keyshortcuts="Control+Enter"
        title={searchTitles[mode]}
        onClick={() => search()}
      >
        Search bucket
      </button>
      <SearchMenu mode={mode} disabled={!hasLocation} onSearch={search} />
    </div>
  );
}

/** What each kind of bucket search does, for the Search button's tooltip and the narrow menu. */
const searchTitles: Record<SearchMode, string> = {
  prefix: 'Search every key under this folder that starts with the text (on the server)',
  contains: `Search every key under this folder that contains the text (reads up to ${SEARCH_SCAN_LIMIT.toLocaleString()} keys)`,
};

/**
 * Where the list is too narrow for the "start with / contain" choice and the Search button
 * (components.css hides them), one "Search bucket" button opens a menu with both searches.
 */
function SearchMenu({
  mode,
  disabled,
  onSearch,
}: {
  mode: SearchMode;
  disabled: boolean;
  onSearch: (mode: SearchMode) => void;
}) {
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger asChild>
        <button
          type="button"
          className="button button--small filter-field__search-menu"
          aria-label="Search bucket"
          aria-disabled={disabled || undefined}
          aria-keyshortcuts="Control+Enter"
          title="Search the bucket, not only this folder"
        >
          <Icon name="search" />
          Search
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          className="menu"
          align="end"
          sideOffset={4}
          collisionPadding={8}
          aria-label="Search bucket"
        >
          <DropdownMenu.RadioGroup value={mode}>
            {(['prefix', 'contains'] as const).map((each) => (
              <DropdownMenu.RadioItem
                key={each}
                value={each}
                className="menu__item"
                disabled={disabled}
                title={searchTitles[each]}
                onSelect={() => onSearch(each)}
              >
                <Icon name="search" className="menu__icon" />
                {each === 'prefix' ? 'Search keys that start with the text' : 'Search keys that contain the text'}
              </DropdownMenu.RadioItem>
            ))}
          </DropdownMenu.RadioGroup>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
