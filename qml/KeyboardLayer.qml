import QtQuick
import QtQuick.Controls

// Hosts the on-screen keyboard (KeyboardPanel.qml) in the window's popup
// overlay, so it also serves the lock screen and dialogs. Below the E-STOP
// (z 1000000) and right of the rail, so the E-STOP is never covered. Loaded,
// not declared: without the keyboard module the console still runs.
Loader {
    id: layer
    objectName: "keyboardLayer"
    // The InputPanel once loaded (null without the keyboard module).
    readonly property Item panel: item as Item
    readonly property bool keyboardUp: panel !== null && panel.visible && panel.y < height

    parent: Overlay.overlay
    anchors.fill: parent
    z: 950000
    source: Qt.resolvedUrl("KeyboardPanel.qml")
}
