import Tautband.Ui

PlaceholderPage {
    objectName: "page_needling"
    title: qsTr("Dry needling")
    purpose: qsTr("Choose the site, needle length and gauge, technique and direction; the safety rules check it before insertion; live needle EMG with audio, local twitch responses detected and marked for you to confirm, reject or add.")
    notYet: qsTr("needle EMG, twitch detection and the needling rules (EMG and safety work). No amplifier can be connected yet.")
}
