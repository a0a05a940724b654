import { Toolbar } from 'radix-ui';
import { Fragment } from 'react';
import { Icon, type IconName } from '../../components/icon';

interface ToolbarAction {
  label: string;
  icon: IconName;
}

// Placeholders until object operations land; each keeps its final name so tests and
// muscle memory do not change when it starts working.
const fileActions: ToolbarAction[] = [
  { label: 'Upload', icon: 'upload' },
  { label: 'New folder', icon: 'folder-plus' },
  { label: 'Download', icon: 'download' },
  { label: 'Copy link', icon: 'link' },
  { label: 'Delete', icon: 'trash' },
];

/** The toolbar above the file list: a Radix toolbar (one Tab stop, arrow keys inside). */
export function BrowserToolbar() {
  return (
    <Toolbar.Root className="toolbar" aria-label="File actions">
      {fileActions.map((action, i) => (
        <Fragment key={action.label}>
          {i === 3 ? <Toolbar.Separator className="toolbar__separator" /> : null}
          <Toolbar.Button className="toolbar-button" disabled>
            <Icon name={action.icon} />
            <span>{action.label}</span>
          </Toolbar.Button>
        </Fragment>
      ))}
    </Toolbar.Root>
  );
}
