pragma Singleton
import QtQuick

// Every colour, size and font of the console. Sizes assume a 10" 1280x800
// panel (~150 px per inch): 9 mm is ~54 px, so touch targets start at 56.
QtObject {
    readonly property int touchTarget: 56
    readonly property int spacing: 12
    readonly property int radius: 10
    readonly property int statusBarHeight: 72
    readonly property int railWidth: 212
    readonly property int emergencyStopHeight: 120

    readonly property color background: "#0f1720"
    readonly property color surface: "#18232f"
    readonly property color surfaceRaised: "#22303f"
    readonly property color border: "#34475a"
    readonly property color text: "#eef3f7"
    readonly property color textMuted: "#9fb0c0"
    readonly property color accent: "#3fa7d6"
    readonly property color ok: "#3fbf7f"
    readonly property color warning: "#f2b134"
    readonly property color danger: "#e0393e"
    readonly property color dangerPressed: "#a8262a"

    readonly property string fontFamily: "DejaVu Sans"
    readonly property int fontSmall: 16
    readonly property int fontBody: 20
    readonly property int fontTitle: 30
    readonly property int fontHuge: 34
}
