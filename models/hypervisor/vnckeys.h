#pragma once

#include <QList>
#include <QString>
#include <QtGlobal>

namespace Vigie {

// One key event for a VNC server: an X keysym, pressed or released.
struct VncKeyStroke
{
    quint32 keysym = 0;
    bool down = false;
    friend bool operator==(const VncKeyStroke &, const VncKeyStroke &) = default;
};

// The key events that type TEXT (see VncKeys::typing).
struct VncTyping
{
    QList<VncKeyStroke> strokes;
    int typed = 0;   // characters that have key events
    int skipped = 0; // characters no key types (controls other than tab and newline)
};

// A key combination of libvirt's virDomainSendKey, in Linux input key codes (the codeset every
// hypervisor driver takes), with the words of the Send key menu.
struct VncKeyCombination
{
    QString id;             // "ctrl-alt-del", ...: stable, for tests and the command line
    QString label;          // "Ctrl+Alt+Del", translated
    QList<quint32> keycodes;
};

// Qt keys to X keysyms and text to key events, without widgets (the view and tests use them).
namespace VncKeys {

// The keysym of a Qt key event (KEY, the event's TEXT, its MODIFIERS), or 0 if none. Printable
// text gives the character's keysym; keys with Ctrl held give the unmodified key's.
[[nodiscard]] quint32 keysymFor(int key, const QString &text, Qt::KeyboardModifiers modifiers);

// The keysym of one character typed (the Type clipboard action), or 0 if none: Latin-1 maps
// to itself, other Unicode to 0x01000000 + code point, newline to Return, tab to Tab.
[[nodiscard]] quint32 keysymForCharacter(char32_t character);

// Whether typing CHARACTER on a US keyboard needs Shift held (QEMU maps keysyms through its
// keymap, US by default; holding Shift for these makes the upper case on every server).
[[nodiscard]] bool needsShift(char32_t character);

// The key events that type TEXT, Shift pressed around the characters that need it. At most
// MAXCHARACTERS characters are typed; the rest is left out (VncTyping::typed says how many).
[[nodiscard]] VncTyping typing(const QString &text, int maxCharacters);

// The Send key menu's combinations (Ctrl+Alt+Del first).
[[nodiscard]] QList<VncKeyCombination> combinations();

} // namespace VncKeys

} // namespace Vigie
