pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Tautband.Ui

// The console's drop-down: a gloved finger needs a 9 mm box and 9 mm rows in
// the open list (the stock ComboBox has ~40 px rows and small text), in the
// theme's colours. Any model a ComboBox takes works (string lists, JS arrays
// of objects with textRole/valueRole, list models): rows show textAt(index).
// A use may still bring its own delegate (two-line rows, disabled rows).
//
// The open list is a popup in the overlay. z 850000: above the dialogs
// (800000), so a drop-down inside a dialog is not hidden behind it; below the
// lock screen (900000), the keyboard (950000) and the E-STOP (1000000), so
// nothing ever covers the E-STOP. Opening takes the focus (StrongFocus and
// forceActiveFocus), so a text field loses it and the on-screen keyboard goes
// down instead of covering the list.
ComboBox {
    id: control
    // Height of one row in the open list.
    property int rowHeight: Theme.touchTarget

    implicitHeight: Theme.touchTarget
    implicitWidth: Math.max(Theme.touchTarget * 3, implicitContentWidth + leftPadding + rightPadding)
    font.pixelSize: Theme.fontBody
    focusPolicy: Qt.StrongFocus

    popup.z: 850000
    // At most eight and a half rows: a long list (the settings' muscles) no
    // longer covers the whole window, and the half row shows there is more.
    popup.height: Math.min(popup.contentItem.implicitHeight + popup.topPadding + popup.bottomPadding,
                           control.rowHeight * 8.5,
                           control.Window.height - popup.topMargin - popup.bottomMargin)
    popup.onAboutToShow: control.forceActiveFocus()

    delegate: ItemDelegate {
        id: row
        required property int index
        width: ListView.view ? ListView.view.width : control.width
        height: control.rowHeight
        highlighted: control.highlightedIndex === index
        font: control.font
        contentItem: Text {
            text: control.textAt(row.index)
            textFormat: Text.PlainText
            font: control.font
            color: Theme.text
            elide: Text.ElideRight
            verticalAlignment: Text.AlignVCenter
        }
        background: Rectangle {
            color: row.highlighted || row.down ? Theme.accent
                   : control.currentIndex === row.index ? Theme.border : Theme.surfaceRaised
        }
    }

    // The style's arrow is ~10 px: too small to say "this opens" at arm's length.
    indicator: Text {
        x: control.mirrored ? Theme.spacing : control.width - width - Theme.spacing
        y: (control.height - height) / 2
        text: "▾"
        font.pixelSize: Theme.fontTitle
        color: Theme.text
        opacity: control.enabled ? 1.0 : 0.5
    }

    contentItem: Text {
        leftPadding: Theme.spacing / 2
        text: control.displayText
        textFormat: Text.PlainText
        font: control.font
        color: Theme.text
        opacity: control.enabled ? 1.0 : 0.5
        elide: Text.ElideRight
        verticalAlignment: Text.AlignVCenter
    }

    background: Rectangle {
        implicitHeight: Theme.touchTarget
        radius: Theme.radius
        color: control.down ? Theme.border : Theme.surfaceRaised
        border.color: control.activeFocus ? Theme.accent : Theme.border
        border.width: 1
        opacity: control.enabled ? 1.0 : 0.4
    }
}
