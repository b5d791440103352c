"""The keys in force: the defaults, with config.toml's [keys] checked and applied on top.

Textual applies a keymap without a word about what it could not use, and a key taken by a
rebinding simply disappears from the action that had it. Here every entry is checked before
Textual sees it: an unknown id, something that is not a key, control characters (which would
reach the terminal when the key is drawn), or a key two rebindings want on one screen each
give one warning line naming the entry, and the entry is left out. An action whose key is
taken gets the key the rebound action let go of (so `"main.bookmark" = "B"` gives Bookmarks
the `b`); only when there is none is it left without a key, and the warning says so.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from textual.binding import Binding, BindingType
from textual.keys import REPLACED_KEYS, Keys, _character_to_key, format_key, key_to_character

MODIFIERS = frozenset({"ctrl", "alt", "shift", "super", "meta", "hyper"})
NAMED_KEYS = frozenset(k.value for k in Keys if "+" not in k.value and "<" not in k.value)
SHOWN = 40  # characters of a config value quoted in a warning


def shown(text: str) -> str:
    """A value from config.toml as a warning may quote it: escaped, never raw, and short."""
    return repr(text if len(text) <= SHOWN else text[:SHOWN] + "…")


def _is_key(key: str) -> bool:
    *modifiers, name = key.split("+")
    if not name or not MODIFIERS.issuperset(modifiers):
        return False
    if len(name) == 1:
        # Textual names a character key by its Unicode name, and must read that name back
        # (a name with a hyphen in it, as for '😍', does not come back).
        named = _character_to_key(name)
        return (name.isprintable() and not name.isspace()
                and (len(named) == 1 or key_to_character(named) == name))
    return name in NAMED_KEYS or key_to_character(REPLACED_KEYS.get(name, name)) is not None


def parse_keys(value: str) -> tuple[str, ...] | str:
    """A [keys] value as Textual's key names, or why it is not one."""
    if any(unicodedata.category(c).startswith("C") for c in value):
        return "contains control characters"
    keys = [k.strip() for k in value.split(",")]
    bad = [k for k in keys if not _is_key(k)]
    if bad:
        return "not a key" if len(keys) == 1 else f"{shown(bad[0])} is not a key"
    names = (_character_to_key(k) if len(k) == 1 else k for k in keys)
    return tuple(dict.fromkeys(names))


def key_label(keys: Iterable[str]) -> str:
    """Keys as Help shows them: `?`, `/`, `ctrl+r`, `esc`."""
    return ", ".join(
        "+".join(format_key(part) for part in key.split("+")) for key in keys
    )


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a set of bindings is in force: a screen, or the app (on every screen)."""

    name: str
    bindings: tuple[Binding, ...]
    app_wide: bool = False

    @classmethod
    def of(cls, name: str, bindings: Iterable[BindingType], *, app_wide: bool = False) -> Scope:
        return cls(name, tuple(Binding.make_bindings(bindings)), app_wide)


@dataclass(slots=True)
class KeyPlan:
    """What config.toml asked for, resolved against every screen's bindings."""

    keys: dict[str, tuple[str, ...]]
    defaults: dict[str, tuple[str, ...]]
    warnings: list[str] = field(default_factory=list)

    @property
    def keymap(self) -> dict[str, str]:
        """What Textual is given: the ids whose keys changed (an id left without a key is
        dropped by Textual itself, as the key it had is given to another)."""
        return {i: ",".join(k) for i, k in self.keys.items() if k and k != self.defaults[i]}


def _ids(scope: Scope) -> dict[str, Binding]:
    return {b.id: b for b in reversed(scope.bindings) if b.id}


def plan_keys(wanted: Mapping[str, str], scopes: Sequence[Scope]) -> KeyPlan:
    """Check and apply [keys] in the file's order; see the module's docstring for the rules.

    A key clashes only within a scope, where Textual would let one binding shadow the
    other: a screen's own bindings, or the app's. An app-wide key a screen also binds is
    the screen's on that screen, as with any Textual app.
    """
    defaults: dict[str, tuple[str, ...]] = {}
    scopes_of: dict[str, list[Scope]] = {}
    for scope in scopes:
        for binding in scope.bindings:  # one Binding a key: "enter,l" is two
            if binding.id:
                defaults[binding.id] = (*defaults.get(binding.id, ()), binding.key)
        for binding_id in _ids(scope):
            scopes_of.setdefault(binding_id, []).append(scope)
    defaults = {i: tuple(dict.fromkeys(keys)) for i, keys in defaults.items()}
    plan = KeyPlan(dict(defaults), defaults)
    # Keys without an id (Textual's ctrl+q and ctrl+c) cannot move; the app's hold everywhere.
    fixed = {k.strip() for scope in scopes if scope.app_wide
             for b in scope.bindings if not b.id for k in b.key.split(",")}
    rebound: set[str] = set()

    def holders(key: str, scope: Scope, but: str) -> list[str]:
        return [i for i in _ids(scope) if i != but and key in plan.keys[i]]

    for binding_id, value in wanted.items():
        entry = f"[keys] {shown(binding_id)}"
        if binding_id not in defaults:
            plan.warnings.append(f"{entry}: no binding has this id (Help lists them); ignored")
            continue
        parsed = parse_keys(value)
        if isinstance(parsed, str):
            plan.warnings.append(f"{entry} = {shown(value)}: {parsed}; the default stays")
            continue
        taken: list[tuple[str, str]] = []  # (holder, key)
        clash = next((f"{key_label([k])} belongs to the app itself"
                      for k in parsed if k in fixed), None)
        for scope in scopes_of[binding_id]:
            for key in parsed:
                for holder in holders(key, scope, binding_id):
                    if holder in rebound:
                        clash = f"{key_label([key])} is already given to {shown(holder)}"
                    taken.append((holder, key))
        if clash:
            plan.warnings.append(f"{entry} = {shown(value)}: {clash}; the default stays")
            continue
        freed = [k for k in defaults[binding_id] if k not in parsed]
        plan.keys[binding_id] = parsed
        rebound.add(binding_id)
        for holder, key in dict.fromkeys(taken):
            left = tuple(k for k in plan.keys[holder] if k != key)
            if not left:
                spare = [k for k in freed if not any(
                    holders(k, scope, holder) for scope in scopes_of[holder])]
                left = tuple(spare[:1])
                freed = [k for k in freed if k not in left]
                if not left:
                    plan.warnings.append(
                        f"{entry} = {shown(value)} takes {key_label([key])} from "
                        f"{shown(holder)}, which is left without a key: give it one under [keys]"
                    )
            plan.keys[holder] = left
    plan.warnings += _shadowed(plan, scopes, rebound)
    return plan


def _shadowed(plan: KeyPlan, scopes: Sequence[Scope], rebound: set[str]) -> list[str]:
    """A rebinding that makes a screen's key hide an app-wide one there, or the reverse."""
    warnings = []
    app_ids = {i for scope in scopes if scope.app_wide for i in _ids(scope)}
    for scope in scopes:
        if scope.app_wide:
            continue
        for own in _ids(scope).keys() - app_ids:
            for other in app_ids:
                common = set(plan.keys[own]) & set(plan.keys[other])
                if common and (own in rebound or other in rebound):
                    warnings.append(
                        f"[keys]: on the {scope.name} screen {key_label(sorted(common))} is "
                        f"{shown(own)}, so {shown(other)} has no key there"
                    )
    return warnings
