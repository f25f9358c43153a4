import QtQuick
import QtQuick.Controls
import Tautband.Ui

// Hosts the on-screen keyboard (KeyboardPanel.qml) above every dialog and the
// lock screen, below the E-STOP (z 1000000) and right of the rail, so the
// E-STOP is never covered. Loaded, not declared: without the keyboard module
// the console still runs.
//
// A Popup, not a plain item in the overlay: while a modal popup (lock screen,
// notes, supervisor, change-password) is open, QQuickOverlay's
// childMouseEventFilter eats every press that lands on an overlay child which
// is not inside a popup. A plain item there made the keyboard dead under a
// modal dialog, and, because its layer covered the whole window (and the
// keyboard's word-candidate MouseArea is as tall as the layer), it swallowed
// taps on the dialog's own buttons too (the lock screen's Unlock). As a
// non-modal popup its presses belong to a popup and pass, and it covers only
// the keys.
Popup {
    id: layer
    // The InputPanel once loaded (null without the keyboard module).
    readonly property Item panel: loader.item as Item
    readonly property bool panelActive: panel !== null && panel.visible
    // Shown and slid up into the window.
    readonly property bool keyboardUp: panelActive && parent !== null && y < parent.height
    readonly property int status: loader.status

    objectName: "keyboardLayer"
    parent: Overlay.overlay
    z: 950000
    visible: true
    modal: false
    dim: false
    focus: false
    padding: 0
    closePolicy: Popup.NoAutoClose
    background: null

    x: Theme.railWidth
    width: parent ? parent.width - Theme.railWidth : 0
    // The keyboard keeps its style's aspect ratio: its height follows the width.
    height: panel ? panel.implicitHeight : 0
    y: parent ? (panelActive ? parent.height - height : parent.height) : 0

    contentItem: Loader {
        id: loader
        source: Qt.resolvedUrl("KeyboardPanel.qml")
    }
}
