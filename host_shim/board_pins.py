# SPDX-FileCopyrightText: 2026 The smolmidi authors
# SPDX-License-Identifier: MIT
"""Pin names of the boards boards/ has a file for, from circuitpython-stubs' board_definitions
(CircuitPython 9/10). host_shim deploy checks an example's board.NAME uses against these
(and against the stubs themselves for any other board, when they are installed)."""

PINS = {
    "raspberry_pi_pico": (
        "A0 A1 A2 A3 GP0 GP1 GP10 GP11 GP12 GP13 GP14 GP15 GP16 GP17 GP18 GP19 GP2 "
        "GP20 GP21 GP22 GP23 GP24 GP25 GP26 GP26_A0 GP27 GP27_A1 GP28 GP28_A2 GP3 GP4 "
        "GP5 GP6 GP7 GP8 GP9 LED SMPS_MODE VBUS_SENSE VOLTAGE_MONITOR "
    ),
    "raspberry_pi_pico_w": (
        "A0 A1 A2 A3 GP0 GP1 GP10 GP11 GP12 GP13 GP14 GP15 GP16 GP17 GP18 GP19 GP2 "
        "GP20 GP21 GP22 GP26 GP26_A0 GP27 GP27_A1 GP28 GP28_A2 GP3 GP4 GP5 GP6 GP7 GP8 "
        "GP9 LED SMPS_MODE VBUS_SENSE VOLTAGE_MONITOR "
    ),
    "adafruit_feather_rp2040": (
        "A0 A1 A2 A3 BOOT BUTTON D0 D1 D10 D11 D12 D13 D24 D25 D4 D5 D6 D9 LED MISO MOSI NEOPIXEL RX SCK SCL SDA TX "
    ),
    "adafruit_qtpy_rp2040": (
        "A0 A1 A2 A3 BUTTON D0 D1 D10 D2 D3 D4 D5 D6 D7 D8 D9 MISO MOSI NEOPIXEL "
        "NEOPIXEL_POWER RX SCK SCL SCL1 SDA SDA1 TX "
    ),
    "adafruit_kb2040": (
        "A0 A1 A2 A3 BUTTON CLK D0 D1 D10 D11 D12 D13 D2 D3 D4 D5 D6 D7 D8 D9 MISO MOSI NEOPIXEL RX SCK SCL SDA TX "
    ),
    "feather_m4_express": (
        "A0 A1 A2 A3 A4 A5 BATTERY D0 D1 D10 D11 D12 D13 D14 D15 D16 D17 D18 D19 D23 "
        "D24 D25 D4 D5 D6 D9 LED MISO MOSI NEOPIXEL RX SCK SCL SDA TX VOLTAGE_MONITOR "
    ),
    "itsybitsy_m4_express": (
        "A0 A1 A2 A3 A4 A5 APA102_MOSI APA102_SCK D0 D1 D10 D11 D12 D13 D2 D3 D4 D5 D7 "
        "D9 DOTSTAR_CLOCK DOTSTAR_DATA LED MISO MOSI RX SCK SCL SDA TX "
    ),
    "metro_m4_express": (
        "A0 A1 A2 A3 A4 A5 D0 D1 D10 D11 D12 D13 D2 D3 D4 D5 D6 D7 D8 D9 LED LED_RX "
        "LED_TX MISO MOSI NEOPIXEL RX SCK SCL SDA TX "
    ),
    "trinket_m0": (
        "A0 A1 A2 A3 A4 APA102_MOSI APA102_SCK D0 D1 D13 D2 D3 D4 DOTSTAR_CLOCK "
        "DOTSTAR_DATA LED MISO MOSI RX SCK SCL SDA TX "
    ),
    "qtpy_m0": (
        "A0 A1 A10 A2 A3 A6 A7 A8 A9 D0 D1 D10 D2 D3 D4 D5 D6 D7 D8 D9 MISO MOSI "
        "NEOPIXEL NEOPIXEL_POWER RX SCK SCL SDA TX "
    ),
    "qtpy_m0_haxpress": (
        "A0 A1 A10 A2 A3 A6 A7 A8 A9 D0 D1 D10 D2 D3 D4 D5 D6 D7 D8 D9 MISO MOSI "
        "NEOPIXEL NEOPIXEL_POWER RX SCK SCL SDA TX "
    ),
}
