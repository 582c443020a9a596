/**
 * The English noun of each target role and container kind: how the connector's titles, the bridge's prompts and its
 * offline answers in English name what a user touched, in one table so they never call one thing two names.
 */
import type { ContainerKind, TargetRole } from './types.ts';

/** "the Email field", "a dropdown". */
export const ROLE_NOUNS: Readonly<Record<TargetRole, string>> = {
  button: 'button',
  link: 'link',
  field: 'field',
  checkbox: 'checkbox',
  radio: 'radio button',
  switch: 'switch',
  option: 'option',
  select: 'dropdown',
  tab: 'tab',
  menuitem: 'menu item',
  form: 'form',
  image: 'image',
  item: 'item',
  element: 'element',
};

/** "the 'Invite member' dialog", "this panel". */
export const CONTAINER_NOUNS: Readonly<Record<ContainerKind, string>> = {
  dialog: 'dialog',
  drawer: 'panel',
  menu: 'menu',
  form: 'form',
  tabpanel: 'tab',
  section: 'section',
};
