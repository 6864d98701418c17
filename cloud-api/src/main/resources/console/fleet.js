// The fleet: live map and list (#/map, #/fleet). To be built.
import {h} from './common.js';

export const views = [
  {path: '#/map', nav: 'Map', render: ({show}) => show('Fleet map', h('p', {}, 'The live map is being built.'))},
];
