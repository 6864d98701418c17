// One car's page (#/cars/{id}). To be built.
import {h} from './common.js';

export const views = [
  {path: '#/cars', pattern: /^#\/cars\/([^/]+)$/, render: ({show}, id) => show(`Car ${id}`, h('p', {}, 'The car page is being built.'))},
];
