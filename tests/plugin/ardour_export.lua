-- ardour_export.lua — run by ardour7-lua (Debian's headless Ardour 7):
-- a session on the Dummy backend, urn:hillock:bank on an audio track,
-- one second exported as WAV, the session saved (the plugin's LV2 state
-- goes into it). Settings come from the environment (ardour_export.sh).
local uri = os.getenv("HB_URI")
local dir = os.getenv("HB_DIR")

local backend = AudioEngine:set_backend("None (Dummy)", "", "")
assert(backend, "no Dummy backend")
local s = create_session(dir .. "/session", "session", 48000)
assert(s, "create_session failed")

do
  local p = ARDOUR.LuaAPI.new_plugin(s, uri, ARDOUR.PluginType.LV2, "")
  assert(not p:isnil(), "new_plugin returned nil for " .. uri)
  local t = s:new_audio_track(1, 2, nil, 1, "Hillock",
    ARDOUR.PresentationInfo.max_order, ARDOUR.TrackMode.Normal, true):front()
  assert(t:add_processor_by_index(p, 0, nil, true) == 0, "add_processor failed")
  print("plugin on track: " .. p:display_name())

  local e = s:simple_export()
  -- "WAV @ session-rate" (/usr/share/ardour7/export/wav.preset)
  assert(e:set_preset("75969a1c-3133-4694-864b-a1fa50e43348"), "no WAV export preset")
  e:set_folder(dir .. "/export")
  e:set_name("hillock")
  e:set_range(0, 48000)
  assert(e:run_export(), "export failed")
  print("exported")
  s:save_state("", false, false, false, false, false)
  print("saved")
end

-- Ardour 7 refuses the CV variant (docs/hosts.md).
local cv = ARDOUR.LuaAPI.new_plugin(s, "urn:hillock:bank-cv", ARDOUR.PluginType.LV2, "")
print("urn:hillock:bank-cv in this Ardour: " .. (cv:isnil() and "refused" or "loaded"))
cv = nil

print("HILLOCK-ARDOUR-DONE")
io.stdout:flush()
-- Leave without close_session(): Ardour 7.3's luasession corrupts its heap
-- in session teardown now and then, with its own plugins too (see
-- ardour_export.sh); nothing after this line matters to the test.
os.exit(0)
